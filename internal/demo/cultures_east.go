package demo

import "strings"

// Naming cultures of Northern and Eastern Europe and Turkey.

var polish = cultureSpec{
	key: "polish", weight: 25, lang: "pl",
	places: []string{"PL:80", "~GB:8", "~DE:6", "~US:6"},
	female: []string{
		"Anna~Ania", "Maria~Marysia", "Katarzyna~Kasia", "Małgorzata~Gosia", "Agnieszka~Aga", "Barbara~Basia",
		"Ewa", "Krystyna", "Elżbieta~Ela", "Magdalena~Magda", "Joanna~Asia", "Aleksandra~Ola", "Monika",
		"Zofia~Zosia", "Teresa", "Danuta", "Natalia", "Julia", "Zuzanna~Zuzia", "Weronika", "Dorota", "Grażyna",
		"Halina", "Jadwiga", "Urszula~Ula", "Beata", "Iwona", "Justyna", "Łucja", "Żaneta",
	},
	male: []string{
		"Piotr", "Krzysztof", "Andrzej", "Tomasz~Tomek", "Paweł", "Jan", "Michał", "Marcin", "Jakub~Kuba", "Adam",
		"Łukasz", "Marek", "Grzegorz~Grzesiek", "Józef", "Mateusz", "Wojciech~Wojtek", "Mariusz", "Dariusz~Darek",
		"Zbigniew~Zbyszek", "Ryszard", "Jerzy~Jurek", "Tadeusz", "Kamil", "Maciej", "Szymon",
		"Bartłomiej~Bartek", "Przemysław~Przemek", "Sławomir~Sławek", "Witold", "Mieczysław",
	},
	surnames: []string{
		"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
		"Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk",
		"Piotrowski", "Grabowski", "Nowakowski", "Pawłowski", "Michalski", "Nowicki", "Adamczyk", "Dudek",
		"Zając", "Wieczorek", "Jabłoński", "Król", "Majewski", "Olszewski", "Jaworski", "Wróbel", "Malinowski",
		"Pawlak", "Witkowski", "Walczak", "Stępień", "Górski", "Sikora", "Czarnecki", "Zawadzki", "Sokołowski",
		"Ziółkowski", "Szczepański",
	},
	family: familyGendered, feminine: polishFeminine, middle: middleGiven, middleP: 0.3,
}

func polishFeminine(s string) string {
	for _, end := range []string{"ski", "cki", "zki"} {
		if strings.HasSuffix(s, end) {
			return strings.TrimSuffix(s, "i") + "a"
		}
	}
	return s
}

var nordic = cultureSpec{
	key: "nordic", weight: 25, lang: "sv",
	places: []string{"SE:36", "NO:30", "DK:29", "~GB:3", "~US:2"},
	female: []string{
		"Anna", "Emma", "Maja", "Ella", "Ida", "Freja", "Astrid", "Ingrid", "Sigrid", "Karin", "Kristin",
		"Linnea", "Elin", "Sofie", "Nora", "Sara", "Hanna", "Ebba", "Saga", "Tuva", "Åsa", "Märta", "Ylva",
		"Solveig", "Birgitta~Gittan", "Gunnhild", "Liv", "Signe", "Frøya", "Mette", "Britt-Marie", "Ann-Kristin",
	},
	male: []string{
		"Lars", "Anders", "Erik", "Johan", "Nils", "Per", "Magnus", "Henrik", "Fredrik", "Mikael", "Jonas",
		"Oskar", "Axel", "Emil", "Lukas", "Søren", "Bjørn", "Jørgen", "Ole", "Knut", "Torbjörn", "Gunnar", "Sven",
		"Håkan", "Göran", "Stig", "Rasmus", "Mads", "Jens", "Thor", "Sindre", "Eirik", "Øyvind", "Åke", "Kjell",
		"Leif",
	},
	surnames: []string{
		"Johansson", "Andersson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
		"Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist", "Lindström", "Bergström", "Sjöberg",
		"Åberg", "Ekström", "Holm", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
		"Kristiansen", "Jensen", "Karlsen", "Sørensen", "Rasmussen", "Jørgensen", "Christensen", "Madsen",
		"Thomsen", "Bråten", "Haugen", "Solberg", "Dahl", "Halvorsen", "Strøm", "Nygård", "Lund", "Ødegård",
		"Østergaard", "Ørsted",
	},
	middle: middleGiven, middleP: 0.35,
}

var turkish = cultureSpec{
	key: "turkish", weight: 20, lang: "tr",
	places: []string{"TR:80", "~DE:14", "~NL:3", "~GB:3"},
	female: []string{
		"Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Şerife", "Zehra", "Sultan", "Hülya",
		"Özlem", "Gül", "Derya", "Ebru", "Esra", "Büşra", "Merve", "Gizem", "Tuğba", "Aslı", "Deniz", "Defne",
		"Ece", "İrem", "Nazlı", "Pınar", "Selin", "Yağmur", "Çağla",
	},
	male: []string{
		"Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "İsmail", "Osman", "Yusuf", "Murat",
		"Ömer", "Ramazan", "Halil", "Süleyman", "Emre", "Burak", "Can", "Cem", "Kerem", "Barış", "Serkan", "Oğuz",
		"Tolga", "Uğur", "Yiğit", "Kaan", "Efe", "Arda", "Çağrı",
	},
	surnames: []string{
		"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir",
		"Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan", "Şimşek", "Polat",
		"Korkmaz", "Özcan", "Çakır", "Erdoğan", "Yavuz", "Acar", "Şen", "Aktaş", "Güler", "Yalçın", "Güneş",
		"Bozkurt", "Bulut", "Keskin", "Ünal", "Turan", "Işık", "Kaplan", "Avcı", "Tekin", "Köse", "Yüksel",
		"Ateş", "Aksoy",
	},
	middle: middleGiven, middleP: 0.15,
}

var greek = cultureSpec{
	key: "greek", weight: 15, lang: "el", script: 0.4,
	places: []string{"GR:84", "~GB:5", "~US:6", "~AU:4", "~DE:1"},
	female: []string{
		"Μαρία=Maria", "Ελένη=Eleni~Lena", "Αικατερίνη=Aikaterini~Katerina", "Βασιλική=Vasiliki~Vicky",
		"Σοφία=Sofia", "Αγγελική=Angeliki~Kiki", "Γεωργία=Georgia", "Δήμητρα=Dimitra", "Κωνσταντίνα=Konstantina~Ntina",
		"Παναγιώτα=Panagiota~Giota", "Ειρήνη=Eirini", "Χριστίνα=Christina", "Αναστασία=Anastasia~Tasoula",
		"Ευαγγελία=Evangelia~Evi", "Αθηνά=Athina", "Δέσποινα=Despoina", "Ζωή=Zoi", "Νίκη=Niki",
		"Φωτεινή=Foteini~Fay", "Θεοδώρα=Theodora~Dora", "Ιωάννα=Ioanna",
	},
	male: []string{
		"Γιώργος=Giorgos", "Δημήτρης=Dimitris~Mitsos", "Κωνσταντίνος=Konstantinos~Kostas", "Γιάννης=Giannis",
		"Νίκος=Nikos", "Παναγιώτης=Panagiotis~Panos", "Βασίλης=Vasilis~Bill", "Χρήστος=Christos~Chris",
		"Αθανάσιος=Athanasios~Thanos", "Μιχάλης=Michalis", "Ευάγγελος=Evangelos~Vangelis", "Σπύρος=Spyros",
		"Αντώνης=Antonis", "Ανδρέας=Andreas", "Θεόδωρος=Theodoros~Thodoris", "Αλέξανδρος=Alexandros~Alekos",
		"Στέλιος=Stelios", "Ηλίας=Ilias", "Σταύρος=Stavros", "Πέτρος=Petros",
	},
	surnames: []string{
		"Παπαδόπουλος=Papadopoulos", "Παπαγεωργίου=Papageorgiou", "Οικονόμου=Oikonomou", "Γεωργίου=Georgiou",
		"Νικολάου=Nikolaou", "Παπαδάκης=Papadakis", "Βασιλείου=Vasileiou", "Ιωάννου=Ioannou",
		"Κωνσταντινίδης=Konstantinidis", "Δημητρίου=Dimitriou", "Αντωνίου=Antoniou", "Μακρής=Makris",
		"Αλεξίου=Alexiou", "Καραγιάννης=Karagiannis", "Παππάς=Pappas", "Χατζηδάκης=Chatzidakis",
		"Αθανασίου=Athanasiou", "Μαυρίδης=Mavridis", "Σταθόπουλος=Stathopoulos", "Λαμπράκης=Lamprakis",
		"Κυριακίδης=Kyriakidis", "Ζαφειρίου=Zafeiriou", "Αναγνώστου=Anagnostou", "Πετρόπουλος=Petropoulos",
		"Χριστοδούλου=Christodoulou", "Σαμαράς=Samaras", "Βλάχος=Vlachos", "Παπανικολάου=Papanikolaou",
		"Μιχαηλίδης=Michailidis", "Τσακίρης=Tsakiris", "Αλεξανδρόπουλος=Alexandropoulos",
		"Καλογεράκης=Kalogerakis", "Ραπτόπουλος=Raptopoulos", "Μπακογιάννης=Bakogiannis", "Σπανός=Spanos",
		"Ζερβός=Zervos", "Λιάπης=Liapis", "Ρήγας=Rigas", "Δούκας=Doukas", "Γιαννόπουλος=Giannopoulos",
	},
	family: familyGendered, feminine: greekFeminine,
}

// greekFeminine gives the feminine (genitive) form of a Greek surname, in
// Greek script or Latin: Παπαδόπουλος → Παπαδοπούλου, Makris → Makri.
func greekFeminine(s string) string {
	for _, r := range [][2]string{
		{"όπουλος", "οπούλου"}, {"ος", "ου"}, {"ός", "ού"}, {"ης", "η"}, {"ής", "ή"}, {"ας", "α"}, {"άς", "ά"},
		{"os", "ou"}, {"is", "i"}, {"as", "a"},
	} {
		if strings.HasSuffix(s, r[0]) {
			return strings.TrimSuffix(s, r[0]) + r[1]
		}
	}
	return s
}

var russian = cultureSpec{
	key: "russian", weight: 25, lang: "ru", script: 0.45,
	places: []string{"RU:76", "~DE:6", "~AE:5", "~GB:5", "~US:5", "~TR:2", "~CH/Genève:1"},
	female: []string{
		"Анна=Anna~Anya", "Мария=Maria~Masha", "Елена=Elena~Lena", "Ольга=Olga~Olya", "Наталья=Natalya~Natasha",
		"Татьяна=Tatyana~Tanya", "Ирина=Irina~Ira", "Екатерина=Ekaterina~Katya", "Светлана=Svetlana~Sveta",
		"Юлия=Yulia", "Анастасия=Anastasia~Nastya", "Дарья=Darya~Dasha", "Ксения=Kseniya~Ksyusha",
		"Марина=Marina", "Людмила=Lyudmila~Lyuda", "Галина=Galina~Galya", "Вера=Vera", "Надежда=Nadezhda~Nadya",
		"Алёна=Alyona", "Полина=Polina", "Виктория=Viktoriya~Vika", "Софья=Sofya",
	},
	male: []string{
		"Александр=Aleksandr~Sasha", "Сергей=Sergey~Seryozha", "Дмитрий=Dmitry~Dima", "Андрей=Andrey",
		"Алексей=Alexey~Lyosha", "Максим=Maksim", "Иван=Ivan~Vanya", "Михаил=Mikhail~Misha",
		"Николай=Nikolay~Kolya", "Владимир=Vladimir~Volodya", "Евгений=Evgeny~Zhenya", "Павел=Pavel~Pasha",
		"Артём=Artyom", "Роман=Roman~Roma", "Олег=Oleg", "Игорь=Igor", "Юрий=Yury~Yura", "Виктор=Viktor",
		"Константин=Konstantin~Kostya", "Григорий=Grigory~Grisha", "Борис=Boris", "Кирилл=Kirill",
		"Пётр=Pyotr~Petya", "Анатолий=Anatoly~Tolya", "Вадим=Vadim", "Денис=Denis", "Илья=Ilya", "Фёдор=Fyodor~Fedya",
	},
	patronyms: []string{
		"Aleksandr Александрович Aleksandrovich Александровна Aleksandrovna",
		"Sergey Сергеевич Sergeyevich Сергеевна Sergeyevna",
		"Dmitry Дмитриевич Dmitriyevich Дмитриевна Dmitriyevna",
		"Andrey Андреевич Andreyevich Андреевна Andreyevna",
		"Alexey Алексеевич Alekseyevich Алексеевна Alekseyevna",
		"Maksim Максимович Maksimovich Максимовна Maksimovna",
		"Ivan Иванович Ivanovich Ивановна Ivanovna",
		"Mikhail Михайлович Mikhaylovich Михайловна Mikhaylovna",
		"Nikolay Николаевич Nikolayevich Николаевна Nikolayevna",
		"Vladimir Владимирович Vladimirovich Владимировна Vladimirovna",
		"Evgeny Евгеньевич Evgenyevich Евгеньевна Evgenyevna",
		"Pavel Павлович Pavlovich Павловна Pavlovna",
		"Artyom Артёмович Artyomovich Артёмовна Artyomovna",
		"Roman Романович Romanovich Романовна Romanovna",
		"Oleg Олегович Olegovich Олеговна Olegovna",
		"Igor Игоревич Igorevich Игоревна Igorevna",
		"Yury Юрьевич Yuryevich Юрьевна Yuryevna",
		"Viktor Викторович Viktorovich Викторовна Viktorovna",
		"Konstantin Константинович Konstantinovich Константиновна Konstantinovna",
		"Grigory Григорьевич Grigoryevich Григорьевна Grigoryevna",
		"Boris Борисович Borisovich Борисовна Borisovna",
		"Kirill Кириллович Kirillovich Кирилловна Kirillovna",
		"Pyotr Петрович Petrovich Петровна Petrovna",
		"Anatoly Анатольевич Anatolyevich Анатольевна Anatolyevna",
		"Vadim Вадимович Vadimovich Вадимовна Vadimovna",
		"Denis Денисович Denisovich Денисовна Denisovna",
		"Ilya Ильич Ilyich Ильинична Ilyinichna",
		"Fyodor Фёдорович Fyodorovich Фёдоровна Fyodorovna",
	},
	surnames: []string{
		"Иванов=Ivanov", "Смирнов=Smirnov", "Кузнецов=Kuznetsov", "Попов=Popov", "Васильев=Vasilyev",
		"Петров=Petrov", "Соколов=Sokolov", "Михайлов=Mikhaylov", "Новиков=Novikov", "Фёдоров=Fyodorov",
		"Морозов=Morozov", "Волков=Volkov", "Алексеев=Alekseev", "Лебедев=Lebedev", "Семёнов=Semyonov",
		"Егоров=Egorov", "Павлов=Pavlov", "Козлов=Kozlov", "Степанов=Stepanov", "Николаев=Nikolaev",
		"Орлов=Orlov", "Андреев=Andreev", "Макаров=Makarov", "Никитин=Nikitin", "Захаров=Zakharov",
		"Зайцев=Zaytsev", "Соловьёв=Solovyov", "Борисов=Borisov", "Яковлев=Yakovlev", "Григорьев=Grigoryev",
		"Романов=Romanov", "Воробьёв=Vorobyov", "Кузьмин=Kuzmin", "Фролов=Frolov", "Королёв=Korolyov",
		"Гусев=Gusev", "Киселёв=Kiselyov", "Ильин=Ilyin", "Поляков=Polyakov", "Белов=Belov", "Жуков=Zhukov",
		"Вишневский=Vishnevsky", "Шевченко=Shevchenko", "Бондаренко=Bondarenko", "Тарасов=Tarasov",
	},
	family: familyGendered, feminine: russianFeminine, middle: middlePatronym, middleP: 0.7,
}

// russianFeminine gives the feminine form of a Russian surname, in Cyrillic
// or Latin: Иванов → Иванова, Vishnevsky → Vishnevskaya; Shevchenko stays.
func russianFeminine(s string) string {
	for _, r := range [][2]string{
		{"ский", "ская"}, {"цкий", "цкая"}, {"sky", "skaya"},
		{"ов", "ова"}, {"ев", "ева"}, {"ёв", "ёва"}, {"ин", "ина"}, {"ын", "ына"},
		{"ov", "ova"}, {"ev", "eva"}, {"yov", "yova"}, {"in", "ina"}, {"yn", "yna"},
	} {
		if strings.HasSuffix(s, r[0]) {
			return strings.TrimSuffix(s, r[0]) + r[1]
		}
	}
	return s
}
