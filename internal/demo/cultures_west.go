package demo

// Naming cultures of Western Europe and the Americas. Weights are roughly
// people per thousand, for a firm with a North American and European base
// and clients across the world.

var english = cultureSpec{
	key: "english", weight: 250, lang: "en",
	places: []string{"US:62", "GB:22", "CA:7", "AU:6", "~SG:1", "~AE:1", "~HK:1", "~CH:1"},
	female: []string{
		"Emily", "Sarah", "Jessica~Jess", "Jennifer~Jen", "Elizabeth~Liz", "Katherine~Kate", "Margaret~Maggie",
		"Rebecca~Becky", "Hannah", "Olivia~Liv", "Charlotte~Lottie", "Abigail~Abby", "Madison~Maddie", "Ashley",
		"Amanda~Mandy", "Rachel", "Lauren", "Megan~Meg", "Victoria~Tori", "Samantha~Sam", "Grace", "Chloe", "Zoe",
		"Amelia~Millie", "Harper", "Evelyn~Evie", "Patricia~Trish", "Susan~Sue", "Deborah~Debbie", "Barbara~Barb",
		"Judith~Judy", "Dorothy~Dot", "Anne-Marie", "Mary-Beth", "Christine~Chris", "Nancy", "Linda", "Karen",
		"Heather", "Nicole~Nikki",
	},
	male: []string{
		"James~Jim", "John~Jack", "Robert~Bob", "Michael~Mike", "William~Bill", "David~Dave", "Richard~Rick",
		"Joseph~Joe", "Thomas~Tom", "Charles~Charlie", "Christopher~Chris", "Daniel~Dan", "Matthew~Matt",
		"Anthony~Tony", "Andrew~Andy", "Joshua~Josh", "Benjamin~Ben", "Samuel~Sam", "Edward~Ted", "Nicholas~Nick",
		"Jonathan~Jon", "Timothy~Tim", "Steven~Steve", "Kenneth~Ken", "Harrison~Harry", "Oliver~Ollie", "Ethan",
		"Noah", "Liam", "Mason", "Logan", "Theodore~Theo", "Gregory~Greg", "Alexander~Alex", "Henry~Hank",
		"Peter~Pete", "Raymond~Ray", "Walter~Walt", "Douglas~Doug", "Brian",
	},
	surnames: []string{
		"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
		"Thomas", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
		"Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson",
		"Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins",
		"Stewart", "Morris", "Cook", "Rogers", "Morgan", "Cooper", "Bailey", "Reed", "Howard", "Ward",
		"Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "Hughes", "Price", "Foster", "Whitfield",
		"Ashworth", "Pemberton", "Hargreaves", "McDonald", "MacLeod", "Fraser", "Sinclair", "Lloyd-Jones",
		"Carter-Hughes", "Ashby-Clarke", "St. John",
	},
	middle: middleGiven, middleP: 0.55, suffixes: true,
}

var irish = cultureSpec{
	key: "irish", weight: 30, lang: "en-IE",
	places: []string{"IE:62", "~GB:15", "~US:14", "~AU:7", "~CA:2"},
	female: []string{
		"Aoife", "Siobhán", "Niamh", "Saoirse", "Róisín", "Caoimhe", "Ciara", "Orla", "Sinéad", "Clodagh",
		"Gráinne", "Áine", "Méabh", "Eimear", "Aisling", "Bríd", "Deirdre", "Fionnuala~Nuala", "Mairéad", "Úna",
		"Mary", "Catherine~Kate", "Sarah", "Emma", "Ellen",
	},
	male: []string{
		"Seán", "Pádraig~Paddy", "Cian", "Oisín", "Darragh", "Cathal", "Eoin", "Ciarán", "Diarmuid", "Colm",
		"Fionn", "Tadhg", "Ruairí", "Dónal", "Declan", "Conor", "Liam", "Niall", "Rónán", "Éamon", "Michael~Mick",
		"Patrick~Pat", "John~Johnny", "Kevin", "Brendan",
	},
	surnames: []string{
		"O'Brien", "O'Sullivan", "O'Connor", "O'Neill", "O'Reilly", "O'Donnell", "O'Mahony", "Ó Súilleabháin",
		"Ó Briain", "Murphy", "Kelly", "Walsh", "Byrne", "Ryan", "Doyle", "McCarthy", "Gallagher", "Doherty",
		"Kennedy", "Lynch", "Murray", "Quinn", "McLoughlin", "Carroll", "Connolly", "Daly", "Brennan",
		"Fitzpatrick", "McGrath", "Nolan", "Kavanagh", "Fitzgerald", "MacNamara", "Dunne", "Hennessy", "Keane",
		"Power", "Mac Giolla Phádraig", "Ó Conaill", "Cullinane",
	},
	middle: middleGiven, middleP: 0.4, suffixes: true,
}

var spanish = cultureSpec{
	key: "spanish", weight: 90, lang: "es",
	places: []string{"ES:30", "MX:30", "CO:13", "AR:12", "~US:13", "~GB:2"},
	female: []string{
		"María", "Lucía", "Sofía", "Valentina", "Camila", "Isabella~Isa", "Martina", "Paula", "Daniela",
		"Carmen", "Ana", "Laura", "Elena", "Gabriela~Gaby", "Mariana", "Ximena", "Guadalupe~Lupe", "Rocío",
		"Pilar", "Inés", "Beatriz~Bea", "Adriana", "Natalia", "Alejandra~Ale", "Verónica~Vero", "Florencia~Flor",
		"Josefina~Pepa", "María José~Majo", "Dolores~Lola", "Concepción~Concha", "Mercedes~Merche", "Itziar",
		"Nuria", "Montserrat~Montse", "Luz", "Catalina~Cata", "Renata", "Fernanda", "Andrea", "Julieta",
	},
	male: []string{
		"José~Pepe", "Juan", "Carlos", "Luis", "Miguel", "Javier", "Alejandro~Álex", "Francisco~Paco", "Antonio~Toño",
		"Manuel~Manolo", "Pedro", "Diego", "Jorge", "Fernando~Nando", "Andrés", "Sergio", "Pablo", "Santiago~Santi",
		"Mateo", "Sebastián", "Ignacio~Nacho", "Rafael~Rafa", "Enrique~Quique", "Álvaro", "Gonzalo", "Rodrigo",
		"Ricardo", "Emilio", "Joaquín", "Eduardo~Lalo", "Guillermo~Memo", "Jesús~Chuy", "Juan Pablo", "Iñaki",
		"Xavier", "Agustín", "Tomás", "Martín", "Felipe", "Héctor",
	},
	surnames: []string{
		"García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
		"Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso",
		"Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano", "Blanco",
		"Molina", "Castillo", "Ortega", "Rubio", "Delgado", "Ortiz", "Morales", "Castro", "Suárez", "Flores",
		"Vargas", "Rojas", "Herrera", "Medina", "Aguilar", "Mendoza", "de la Cruz", "de León", "Peña",
		"Echeverría", "Goikoetxea",
	},
	family: familySpanish, middle: middleGiven, middleP: 0.25,
}

var portuguese = cultureSpec{
	key: "portuguese", weight: 50, lang: "pt",
	places: []string{"BR:66", "PT:25", "~US:4", "~GB:2", "~FR:2", "~CH/Genève:1"},
	female: []string{
		"Ana", "Maria", "Beatriz~Bia", "Mariana", "Juliana~Ju", "Fernanda~Nanda", "Camila~Mila", "Larissa",
		"Letícia~Lelê", "Gabriela~Gabi", "Carolina~Carol", "Patrícia~Paty", "Aline", "Bruna", "Vanessa~Nessa",
		"Luana", "Renata", "Tatiana~Tati", "Raquel", "Inês", "Joana", "Margarida", "Leonor", "Conceição",
		"Francisca~Chica", "Débora", "Thaís", "Lívia", "Luíza~Lu", "Giovana~Gigi",
	},
	male: []string{
		"João", "José~Zé", "Pedro", "Lucas", "Gabriel~Biel", "Rafael~Rafa", "Matheus", "Gustavo~Guga",
		"Felipe~Lipe", "Bruno", "Thiago", "Rodrigo~Digo", "Diego", "Vinícius~Vini", "Leonardo~Léo",
		"Eduardo~Edu", "Guilherme~Gui", "Marcelo", "Fábio", "André", "Luís", "Tiago", "Rui", "Nuno", "Duarte",
		"Gonçalo", "Henrique~Rique", "Caio", "Otávio", "Antônio~Tonho",
	},
	surnames: []string{
		"Silva", "Santos", "Oliveira", "Souza", "Sousa", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima",
		"Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares", "Fernandes", "Vieira",
		"Barbosa", "Rocha", "Dias", "Nascimento", "Andrade", "Moreira", "Nunes", "Marques", "Machado", "Mendes",
		"Freitas", "Cardoso", "Ramos", "Gonçalves", "Santana", "Teixeira", "Araújo", "Monteiro", "Correia",
		"Magalhães", "Brandão", "Cavalcanti", "Albuquerque", "da Silva", "dos Santos",
	},
	middle: middleSurname, middleP: 0.5,
}

var french = cultureSpec{
	key: "french", weight: 45, lang: "fr",
	places: []string{"FR:74", "CH/Genève:6", "CH/Lausanne:4", "CA/Montréal:8", "~GB:4", "~US:3", "~AE:1"},
	female: []string{
		"Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Juliette", "Louise", "Jade", "Emma", "Élodie",
		"Amélie", "Céline", "Nathalie", "Isabelle~Isa", "Sophie", "Margaux", "Océane", "Clémence", "Hélène",
		"Brigitte", "Françoise", "Marie-Claire", "Anne-Sophie", "Marie-Hélène", "Geneviève", "Agnès", "Maëlle",
		"Noémie", "Zoé", "Capucine", "Ségolène", "Valérie", "Sandrine", "Aurélie", "Mathilde",
	},
	male: []string{
		"Jean", "Pierre", "Louis", "Lucas", "Hugo", "Théo", "Nathan", "Antoine~Toine", "Nicolas~Nico", "Julien",
		"Mathieu", "Guillaume", "Thomas", "Alexandre~Alex", "Maxime~Max", "Sébastien~Seb", "François", "Olivier",
		"Philippe", "Jérôme", "Stéphane", "Benoît", "Rémi", "Gaëtan", "Loïc", "Jean-Pierre", "Jean-Luc",
		"Jean-François", "Pierre-Antoine", "Émile", "Clément", "Bastien", "Yannick", "Hervé", "Thierry", "Arnaud",
	},
	surnames: []string{
		"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
		"Simon", "Laurent", "Lefèvre", "Michel", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
		"Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Legrand", "Garnier",
		"Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Perrin", "Morin", "Gauthier",
		"Dumont", "Fontaine", "Chevalier", "Robin", "Masson", "Duval", "Lemaire", "de Montclair", "Le Goff",
		"Le Gall", "Tremblay", "Gagnon", "Côté",
	},
	middle: middleGiven, middleP: 0.2,
}

var german = cultureSpec{
	key: "german", weight: 60, lang: "de",
	places: []string{"DE:66", "AT:15", "CH/Zürich:6", "CH/Basel:2", "CH/Bern:2", "CH/Zug:2", "~US:3", "~GB:2", "~NL:1", "~ES:1"},
	female: []string{
		"Anna", "Lena", "Leonie", "Lea", "Hannah", "Sophie", "Marie", "Laura", "Katharina~Kathi", "Julia", "Sabine",
		"Petra", "Ursula~Uschi", "Monika", "Claudia", "Stefanie~Steffi", "Birgit", "Andrea", "Susanne~Susi",
		"Jutta", "Gisela", "Ingrid", "Brigitte", "Renate", "Annegret", "Jana", "Lotte", "Frieda", "Käthe", "Anja",
		"Nadine", "Heike", "Mia", "Emilia", "Charlotte", "Jördis",
	},
	male: []string{
		"Lukas", "Maximilian~Max", "Felix", "Jonas", "Leon", "Paul", "Elias", "Tim", "Jan", "Niklas", "Thomas",
		"Michael", "Andreas~Andi", "Stefan", "Christian", "Markus", "Frank", "Jürgen", "Klaus", "Uwe", "Wolfgang",
		"Dieter", "Günther", "Horst", "Rüdiger", "Jörg", "Björn", "Sönke", "Matthias", "Tobias", "Florian",
		"Sebastian~Basti", "Johannes~Hannes", "Karl-Heinz", "Hans-Peter", "Franz-Josef",
	},
	surnames: []string{
		"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
		"Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
		"Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
		"Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
		"Kaiser", "Fuchs", "Peters", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Vogel", "Keller", "Groß",
		"Strauß", "Voß", "von Bülow", "von der Heide", "Schulte-Bräucker", "Gruber", "Steiner", "Brunner",
	},
	middle: middleGiven, middleP: 0.25, germanASCII: true,
}

var dutch = cultureSpec{
	key: "dutch", weight: 25, lang: "nl",
	places: []string{"NL:86", "~US:4", "~GB:4", "~DE:3", "~CH/Zürich:3"},
	female: []string{
		"Emma", "Sophie", "Julia", "Anna", "Fleur", "Sanne", "Lotte", "Femke", "Eva", "Lisa", "Iris", "Noor",
		"Anouk", "Marieke", "Ingrid", "Annelies", "Willemijn", "Maartje", "Floor", "Roos", "Esther",
		"Jacqueline", "Wilhelmina~Mien", "Geertruida~Truus", "Hendrika~Riek", "Saskia", "Janneke", "Mirjam",
		"Tessa", "Yvonne",
	},
	male: []string{
		"Daan", "Sem", "Lucas", "Levi", "Finn", "Thijs", "Bram", "Ruben", "Jesse", "Lars", "Jan", "Pieter~Piet",
		"Hendrik~Henk", "Willem~Wim", "Cornelis~Kees", "Johannes~Hans", "Gerrit", "Dirk", "Jeroen", "Maarten",
		"Sjoerd", "Joost", "Bas", "Niels", "Wouter", "Bart", "Koen", "Stijn", "Teun", "Job",
	},
	surnames: []string{
		"de Jong", "Jansen", "de Vries", "van den Berg", "van der Berg", "van Dijk", "Bakker", "Janssen",
		"Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
		"van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
		"van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen",
		"van den Broek", "de Bruijn", "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet",
		"Hoekstra", "Maas", "Verhoeven", "Koster", "IJzerman",
	},
	middle: middleGiven, middleP: 0.3,
}

var italian = cultureSpec{
	key: "italian", weight: 30, lang: "it",
	places: []string{"IT:80", "CH/Lugano:5", "~US:7", "~GB:4", "~DE:2", "~AR:2"},
	female: []string{
		"Giulia", "Francesca~Fra", "Chiara", "Sara", "Alessandra~Ale", "Martina", "Valentina~Vale", "Federica~Fede",
		"Elisa", "Silvia", "Paola", "Roberta", "Giovanna~Gianna", "Lucia", "Antonella", "Rosa", "Beatrice~Bea",
		"Aurora", "Ginevra", "Elena", "Anna", "Giorgia", "Serena", "Ilaria", "Caterina", "Lorenza", "Carla",
		"Marta", "Noemi", "Maria Grazia",
	},
	male: []string{
		"Marco", "Alessandro~Sandro", "Andrea", "Luca", "Matteo", "Francesco~Checco", "Lorenzo~Enzo",
		"Giuseppe~Beppe", "Giovanni~Gianni", "Antonio~Toni", "Roberto", "Stefano", "Paolo", "Davide", "Simone",
		"Federico~Fede", "Riccardo", "Fabio", "Massimo~Max", "Salvatore~Totò", "Vincenzo~Enzo", "Pietro",
		"Tommaso", "Leonardo", "Nicolò", "Gianluca", "Gianmarco", "Carlo", "Emanuele", "Domenico~Mimmo",
	},
	surnames: []string{
		"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
		"Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
		"Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone",
		"Longo", "Gentile", "Martinelli", "Vitale", "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti",
		"Parisi", "Villa", "Conte", "D'Amico", "Fabbri", "Sanna", "Dell'Acqua", "Lo Russo", "Bellucci",
	},
	middle: middleGiven, middleP: 0.15,
}
