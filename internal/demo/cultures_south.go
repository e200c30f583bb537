package demo

// Naming cultures of West Africa and the Arab world.

var nigerian = cultureSpec{
	key: "nigerian", weight: 35, lang: "en-NG",
	places: []string{"NG:78", "~GB:14", "~US:7", "~CA:1"},
	female: []string{
		"Adaeze~Ada", "Chiamaka~Amaka", "Ngozi", "Chioma", "Nneka", "Ifeoma~Ify", "Obiageli~Oby", "Folake",
		"Funmilayo~Funmi", "Yetunde~Yetty", "Adebola~Bola", "Omolara~Lara", "Titilayo~Titi", "Bukola~Buky",
		"Temitope~Tope", "Abimbola~Bimbo", "Damilola~Dami", "Ọlájùmọ̀kẹ́~Jumoke", "Aisha", "Zainab", "Hauwa",
		"Fatima", "Blessing", "Grace", "Esther", "Patience", "Joy", "Precious", "Chinwe", "Adaobi",
	},
	male: []string{
		"Chinedu~Nedu", "Emeka", "Obinna", "Chukwuemeka~Emeka", "Ikechukwu~Ike", "Nnamdi", "Uchenna~Uche",
		"Chidi", "Kelechi", "Ifeanyi", "Oluwaseun~Seun", "Adewale~Wale", "Babatunde~Tunde", "Olumide~Mide",
		"Oluwafemi~Femi", "Ayodele~Ayo", "Kehinde~Kenny", "Taiwo", "Segun", "Adebayo~Bayo", "Musa", "Ibrahim",
		"Abubakar", "Usman", "Sani", "Emmanuel~Emma", "Samuel~Sammy", "Daniel", "Godwin", "Victor",
	},
	surnames: []string{
		"Okafor", "Okonkwo", "Eze", "Nwosu", "Obi", "Okeke", "Nwachukwu", "Okoro", "Chukwu", "Onyekachi", "Ibe",
		"Anyanwu", "Nwankwo", "Udeh", "Okoye", "Ezeani", "Uzor", "Agu", "Adeyemi", "Adébáyọ̀", "Ogunleye",
		"Olawale", "Oyelaran", "Bello", "Afolabi", "Akinola", "Ogunbiyi", "Adeleke", "Balogun", "Olaniyan",
		"Oyewole", "Fashola", "Adesanya", "Àjàyí", "Olatunji", "Abubakar", "Danjuma", "Yusuf", "Suleiman",
		"Ogundipe", "Akande",
	},
	middle: middleGiven, middleP: 0.5,
}

var arabic = cultureSpec{
	key: "arabic", weight: 40, lang: "ar", script: 0.25,
	places: []string{"AE:28", "SA:30", "EG:26", "~GB:7", "~US:5", "~FR:3", "~CH/Genève:1"},
	female: []string{
		"فاطمة=Fatima", "عائشة=Aisha", "مريم=Maryam", "نور=Noor", "سارة=Sara", "ليلى=Layla", "هدى=Huda", "ريم=Reem",
		"دانة=Dana", "لينا=Lina", "منى=Mona", "رنا=Rana", "ياسمين=Yasmin", "سلمى=Salma", "هند=Hind", "أمل=Amal",
		"نادية=Nadia", "رانيا=Rania", "جميلة=Jamila", "خديجة=Khadija", "زينب=Zainab", "شيماء=Shaimaa", "دينا=Dina",
	},
	male: []string{
		"محمد=Mohammed~Mo", "أحمد=Ahmed", "علي=Ali", "عمر=Omar", "خالد=Khalid", "يوسف=Youssef~Joe",
		"إبراهيم=Ibrahim", "حسن=Hassan", "حسين=Hussein", "عبدالله=Abdullah~Abdo", "عبدالرحمن=Abdulrahman",
		"سعيد=Saeed", "فيصل=Faisal", "سلطان=Sultan", "ماجد=Majed", "طارق=Tariq", "كريم=Karim", "ياسر=Yasser",
		"مصطفى=Mostafa", "هشام=Hisham", "وليد=Waleed", "راشد=Rashid", "سامي=Sami", "نبيل=Nabil", "زياد=Ziad",
	},
	surnames: []string{
		"المنصوري=Al-Mansouri", "الهاشمي=Al-Hashimi", "الشمري=Al-Shammari", "القحطاني=Al-Qahtani",
		"العتيبي=Al-Otaibi", "الدوسري=Al-Dosari", "الزهراني=Al-Zahrani", "الغامدي=Al-Ghamdi", "المطيري=Al-Mutairi",
		"الحربي=Al-Harbi", "السويدي=Al-Suwaidi", "النعيمي=Al-Nuaimi", "الكعبي=Al-Kaabi", "الفلاسي=Al-Falasi",
		"المهيري=Al-Mheiri", "الظاهري=Al-Dhaheri", "الشامسي=Al-Shamsi", "حداد=Haddad", "خوري=Khoury", "نصر=Nasr",
		"عبدالعزيز=Abdelaziz", "منصور=Mansour", "عثمان=Osman", "سالم=Salem", "صالح=Saleh", "فرج=Farag",
		"المصري=El-Masry", "الشريف=El-Sherif", "فهمي=Fahmy", "بكر=Bakr", "عيسى=Issa", "قاسم=Kassem", "جابر=Gaber",
		"ناصر=Nasser", "رزق=Rizk", "البنا=El-Banna", "شاهين=Shaheen", "زكي=Zaki", "الخطيب=Al-Khatib",
		"العلي=Al-Ali",
	},
	family: familyKept, middle: middleFather, middleP: 0.6,
}
