package demo

// Naming cultures of South and East Asia. Native-script forms come first
// where the demo sometimes keeps them (Devanagari for Hindi names, Han,
// kanji, Hangul); the Latin form is what e-mail addresses are made from.

// Indian names are in two pools, so that one name does not mix Punjabi,
// Bengali and Tamil naming: North Indian names (some in Devanagari) and
// South Indian names, where the father's given name often stands in the
// middle.
var indian = cultureSpec{
	key: "indian", weight: 45, lang: "hi", script: 0.15,
	places: []string{"IN:60", "~US:14", "~GB:12", "~AE:7", "~CA:5", "~SG:2"},
	female: []string{
		"प्रिया=Priya", "अनन्या=Ananya", "ऐश्वर्या=Aishwarya~Ash", "काव्या=Kavya", "पूजा=Pooja", "नेहा=Neha",
		"स्नेहा=Sneha", "दिव्या=Divya", "अंजलि=Anjali", "दीपिका=Deepika", "श्रेया=Shreya", "मीरा=Meera",
		"सुनीता=Sunita", "किरण=Kiran", "राधा=Radha", "आरती=Aarti", "नंदिनी=Nandini", "इशिता=Ishita", "रिया=Riya",
		"सीमा=Seema", "रेखा=Rekha", "पूनम=Poonam", "ज्योति=Jyoti", "सोनिया=Sonia", "नीतू=Neetu", "कविता=Kavita",
		"ममता=Mamta", "रश्मि=Rashmi", "तनवी=Tanvi", "आयशा=Ayesha", "Sharmila", "Moumita", "Harpreet",
		"Simran", "Gurleen", "Manjeet", "Swati", "Hetal", "Falguni",
	},
	male: []string{
		"राहुल=Rahul", "अमित=Amit", "रोहन=Rohan", "विक्रम=Vikram~Vicky", "अर्जुन=Arjun", "संजय=Sanjay",
		"राजेश=Rajesh~Raj", "सुरेश=Suresh", "अनिल=Anil", "विजय=Vijay", "अजय=Ajay", "मनोज=Manoj",
		"दीपक=Deepak", "आदित्य=Aditya~Adi", "करण=Karan", "निखिल=Nikhil", "आरव=Aarav", "विवेक=Vivek",
		"प्रणव=Pranav", "सौरभ=Saurabh", "गौरव=Gaurav", "अभिषेक=Abhishek~Abhi", "अनुराग=Anurag", "हर्ष=Harsh",
		"कुणाल=Kunal", "मोहित=Mohit", "पंकज=Pankaj", "राकेश=Rakesh", "Sourav", "Arindam", "Debashish",
		"Gurpreet", "Manpreet", "Jaspreet", "Harjeet", "Hardik", "Chirag", "Jignesh", "Imran", "Farhan",
	},
	surnames: []string{
		"शर्मा=Sharma", "वर्मा=Verma", "गुप्ता=Gupta", "सिंह=Singh", "कुमार=Kumar", "पटेल=Patel", "शाह=Shah",
		"मेहता=Mehta", "जोशी=Joshi", "अग्रवाल=Agarwal", "मिश्रा=Mishra", "पांडे=Pandey", "चौहान=Chauhan",
		"यादव=Yadav", "मल्होत्रा=Malhotra", "कपूर=Kapoor", "चोपड़ा=Chopra", "भाटिया=Bhatia", "सक्सेना=Saxena",
		"श्रीवास्तव=Srivastava", "तिवारी=Tiwari", "दुबे=Dubey", "त्रिवेदी=Trivedi", "खन्ना=Khanna", "अरोड़ा=Arora",
		"बंसल=Bansal", "गोयल=Goel", "ठाकुर=Thakur", "राठौर=Rathore", "सेठी=Sethi", "Chatterjee", "Banerjee",
		"Mukherjee", "Bose", "Ghosh", "Sen", "Desai", "Kulkarni", "Deshpande", "Patil", "Jain", "Gill", "Sandhu",
		"Dhillon", "Grewal", "Qureshi", "Siddiqui",
	},
	middle: middlePool, middleP: 0.3,
	midFemale: []string{"देवी=Devi", "कुमारी=Kumari", "रानी=Rani"},
	midMale:   []string{"कुमार=Kumar", "प्रसाद=Prasad", "चंद्र=Chandra", "नाथ=Nath", "लाल=Lal", "मोहन=Mohan"},
}

var southIndian = cultureSpec{
	key: "south-indian", weight: 25, lang: "en-IN",
	places: []string{"IN:66", "~US:16", "~SG:6", "~GB:5", "~AE:5", "~CA:2"},
	female: []string{
		"Kavitha", "Revathi", "Bhavani", "Lakshmi", "Padma", "Anitha", "Deepa", "Gayathri", "Harini", "Janani",
		"Keerthana", "Meenakshi", "Nandhini", "Priya", "Ramya", "Sangeetha", "Shalini", "Sowmya", "Sudha", "Uma",
		"Vani", "Vidya", "Anusha", "Bhavya", "Chitra", "Geetha", "Kamala", "Divya", "Lavanya", "Malathi",
		"Pavithra", "Radhika", "Saranya", "Sindhu", "Swathi", "Vaishnavi", "Yamini", "Aparna", "Archana", "Indira",
	},
	male: []string{
		"Karthik", "Senthil", "Venkatesh~Venky", "Srinivas~Srini", "Arun", "Balaji", "Ganesh", "Hari", "Krishna",
		"Mahesh", "Murali", "Prakash", "Raghu", "Ramesh", "Ravi", "Sathish", "Shankar", "Siva", "Sridhar",
		"Subramanian~Subbu", "Suresh", "Vijay", "Anand", "Ashwin", "Gautham", "Harish", "Kiran", "Manoj",
		"Naveen", "Pradeep", "Rajkumar", "Sandeep", "Saravanan", "Vasanth", "Vignesh", "Dinesh", "Girish",
		"Lokesh", "Madhavan", "Narayan",
	},
	surnames: []string{
		"Iyer", "Iyengar", "Nair", "Menon", "Pillai", "Reddy", "Rao", "Naidu", "Krishnan", "Subramanian", "Raman",
		"Srinivasan", "Venkataraman", "Rajan", "Narayanan", "Chandrasekhar", "Gopalan", "Hegde", "Shetty",
		"Kamath", "Pai", "Bhat", "Kurup", "Varma", "Chettiar", "Gowda", "Murthy", "Sastry", "Sundaram",
		"Ramachandran", "Balasubramanian", "Natarajan", "Padmanabhan", "Raju", "Prasad", "Anand", "Mohan",
		"Panicker", "Nambiar", "Acharya",
	},
	middle: middleFather, middleP: 0.3,
}

var chinese = cultureSpec{
	key: "chinese", weight: 70, lang: "zh", script: 0.4, westernNick: 0.15,
	places: []string{"CN:55", "HK:15", "SG:10", "~US:10", "~CA:4", "~AU:4", "~GB:2"},
	female: []string{
		"静=Jing", "丽=Li", "敏=Min", "婷=Ting", "芳=Fang", "娜=Na", "秀英=Xiuying", "桂英=Guiying", "玉兰=Yulan",
		"慧=Hui", "雪=Xue", "琳=Lin", "欣怡=Xinyi", "梓涵=Zihan", "雨桐=Yutong", "诗涵=Shihan", "佳怡=Jiayi",
		"晓燕=Xiaoyan", "丹=Dan", "萍=Ping", "红=Hong", "霞=Xia", "美玲=Meiling", "思雨=Siyu", "颖=Ying",
	},
	male: []string{
		"伟=Wei", "强=Qiang", "磊=Lei", "军=Jun", "洋=Yang", "勇=Yong", "杰=Jie", "涛=Tao", "明=Ming", "超=Chao",
		"斌=Bin", "鹏=Peng", "浩然=Haoran", "子轩=Zixuan", "宇轩=Yuxuan", "俊杰=Junjie", "建华=Jianhua",
		"志强=Zhiqiang", "国强=Guoqiang", "文博=Wenbo", "晨=Chen", "博文=Bowen", "家豪=Jiahao", "海涛=Haitao",
		"建国=Jianguo",
	},
	surnames: []string{
		"王=Wang", "李=Li", "张=Zhang", "刘=Liu", "陈=Chen", "杨=Yang", "黄=Huang", "赵=Zhao", "吴=Wu", "周=Zhou",
		"徐=Xu", "孙=Sun", "马=Ma", "朱=Zhu", "胡=Hu", "郭=Guo", "何=He", "林=Lin", "高=Gao", "罗=Luo", "郑=Zheng",
		"梁=Liang", "谢=Xie", "宋=Song", "唐=Tang", "许=Xu", "韩=Han", "冯=Feng", "邓=Deng", "曹=Cao", "彭=Peng",
		"曾=Zeng", "肖=Xiao", "田=Tian", "董=Dong", "潘=Pan", "袁=Yuan", "蔡=Cai", "蒋=Jiang", "余=Yu", "杜=Du",
		"叶=Ye", "程=Cheng", "魏=Wei", "苏=Su", "吕=Lyu", "欧阳=Ouyang", "司马=Sima",
	},
	family: familyKept, order: orderEastern,
}

var japanese = cultureSpec{
	key: "japanese", weight: 30, lang: "ja", script: 0.45,
	places: []string{"JP:90", "~US:6", "~GB:2", "~SG:2"},
	female: []string{
		"陽子=Yoko", "恵子=Keiko", "由美=Yumi", "真由美=Mayumi", "智子=Tomoko", "裕子=Yuko", "明美=Akemi",
		"直美=Naomi", "久美子=Kumiko", "美穂=Miho", "愛=Ai", "彩=Aya", "結衣=Yui", "陽菜=Hina", "さくら=Sakura",
		"美咲=Misaki", "葵=Aoi", "凛=Rin", "花子=Hanako", "千尋=Chihiro", "麻衣=Mai", "奈々=Nana", "香織=Kaori",
		"恵美=Emi", "理恵=Rie",
	},
	male: []string{
		"太郎=Taro", "一郎=Ichiro", "健=Ken", "健太=Kenta", "翔太=Shota", "大輔=Daisuke", "拓也=Takuya",
		"直樹=Naoki", "浩=Hiroshi", "誠=Makoto", "隆=Takashi", "学=Manabu", "修=Osamu", "剛=Tsuyoshi", "翔=Sho",
		"蓮=Ren", "大翔=Hiroto", "悠真=Yuma", "陽翔=Haruto", "湊=Minato", "健一=Kenichi", "和也=Kazuya",
		"達也=Tatsuya", "雄一=Yuichi", "秀樹=Hideki",
	},
	surnames: []string{
		"佐藤=Sato", "鈴木=Suzuki", "高橋=Takahashi", "田中=Tanaka", "伊藤=Ito", "渡辺=Watanabe", "山本=Yamamoto",
		"中村=Nakamura", "小林=Kobayashi", "加藤=Kato", "吉田=Yoshida", "山田=Yamada", "佐々木=Sasaki",
		"山口=Yamaguchi", "松本=Matsumoto", "井上=Inoue", "木村=Kimura", "林=Hayashi", "斎藤=Saito", "清水=Shimizu",
		"山崎=Yamazaki", "森=Mori", "池田=Ikeda", "橋本=Hashimoto", "阿部=Abe", "石川=Ishikawa", "山下=Yamashita",
		"中島=Nakajima", "石井=Ishii", "小川=Ogawa", "前田=Maeda", "岡田=Okada", "長谷川=Hasegawa", "藤田=Fujita",
		"後藤=Goto", "近藤=Kondo", "村上=Murakami", "遠藤=Endo", "青木=Aoki", "坂本=Sakamoto", "西村=Nishimura",
		"福田=Fukuda",
	},
	order: orderEastern,
}

var korean = cultureSpec{
	key: "korean", weight: 25, lang: "ko", script: 0.45, westernNick: 0.1,
	places: []string{"KR:88", "~US:10", "~CA:2"},
	female: []string{
		"서연=Seo-yeon", "민서=Min-seo", "지우=Ji-woo", "서윤=Seo-yoon", "지민=Ji-min", "수아=Su-a", "하은=Ha-eun",
		"예은=Ye-eun", "지현=Ji-hyun", "수진=Su-jin", "민지=Min-ji", "은지=Eun-ji", "혜진=Hye-jin", "유진=Yu-jin",
		"지영=Ji-young", "미영=Mi-young", "영희=Young-hee", "은영=Eun-young", "소연=So-yeon", "다은=Da-eun",
		"채원=Chae-won", "현주=Hyun-joo",
	},
	male: []string{
		"민준=Min-jun", "서준=Seo-jun", "도윤=Do-yoon", "예준=Ye-jun", "시우=Si-woo", "하준=Ha-jun", "지호=Ji-ho",
		"준서=Jun-seo", "현우=Hyun-woo", "지훈=Ji-hoon", "성민=Sung-min", "동현=Dong-hyun", "준호=Jun-ho",
		"민수=Min-soo", "영수=Young-soo", "상훈=Sang-hoon", "재현=Jae-hyun", "태현=Tae-hyun", "승민=Seung-min",
		"정호=Jung-ho", "우진=Woo-jin", "건우=Gun-woo",
	},
	surnames: []string{
		"김=Kim", "이=Lee", "박=Park", "최=Choi", "정=Jung", "강=Kang", "조=Cho", "윤=Yoon", "장=Jang", "임=Lim",
		"한=Han", "오=Oh", "서=Seo", "신=Shin", "권=Kwon", "황=Hwang", "안=Ahn", "송=Song", "류=Ryu", "전=Jeon",
		"홍=Hong", "고=Ko", "문=Moon", "양=Yang", "손=Son", "배=Bae", "백=Baek", "허=Heo", "유=Yoo", "남=Nam",
		"심=Shim", "노=Noh", "하=Ha", "곽=Kwak", "성=Sung", "차=Cha", "주=Joo", "우=Woo", "구=Koo", "민=Min",
	},
	family: familyKept, order: orderEastern,
}

var vietnamese = cultureSpec{
	key: "vietnamese", weight: 20, lang: "vi", westernNick: 0.1,
	places: []string{"VN:74", "~US:15", "~AU:5", "~FR:3", "~CA:3"},
	female: []string{
		"Anh", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Thảo", "Trang", "Hà", "Hằng", "Hạnh", "Huyền", "Loan",
		"Nhung", "Oanh", "Phương", "Quỳnh", "Thu", "Thủy", "Trinh", "Uyên", "Vy", "Yến", "Xuân", "Diệp", "Nga",
		"Hoa", "Dung", "Giang", "Châu",
	},
	male: []string{
		"An", "Bảo", "Cường", "Dũng", "Duy", "Đức", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh", "Khoa",
		"Kiên", "Long", "Minh", "Nam", "Phong", "Phúc", "Quang", "Quân", "Sơn", "Tài", "Thắng", "Thành", "Tiến",
		"Toàn", "Trung", "Tuấn", "Việt",
	},
	surnames: []string{
		"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
		"Dương", "Lý", "Đinh", "Trịnh", "Đào", "Mai", "Lâm", "Cao", "Tạ", "Lương", "Tô", "Hà", "Chu", "Quách",
		"Đoàn", "Vương", "Tôn", "Thái", "Kiều", "Châu", "Trương", "Lưu", "Triệu", "La", "Phùng", "Văn",
	},
	family: familyKept, order: orderVietnamese, middle: middlePool, middleP: 0.9,
	midFemale: []string{"Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Bích", "Phương"},
	midMale:   []string{"Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Công", "Xuân"},
}
