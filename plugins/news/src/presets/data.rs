//! Built-in keyword lists for the news filter presets, one table per language.
//!
//! Each table lists the presets in the order of [`super::PRESET_IDS`] as
//! `(label, keywords)`. Keywords are lower case. Matching is whole-word only
//! for ASCII letters (see `filter.rs`); every other script matches as a
//! substring, so keywords in those scripts avoid short stems that occur inside
//! unrelated words (Russian "спорт" is inside "транспорт", for instance).

pub(super) type Table = [(&'static str, &'static [&'static str]); 11];

pub(super) const EN: Table = [
    ("Politics", &[
        "politics", "political", "politician", "politicians", "election", "elections", "parliament",
        "congress", "senate", "president", "prime minister", "government", "minister", "campaign",
        "democrats", "republicans", "legislation", "voters", "referendum", "white house",
    ]),
    ("Wars and conflicts", &[
        "war", "wars", "invasion", "military", "troops", "army", "airstrike", "airstrikes", "missile",
        "missiles", "ceasefire", "militants", "insurgents", "shelling", "drone strike", "frontline",
        "armed conflict",
    ]),
    ("Health", &[
        "health", "disease", "virus", "outbreak", "pandemic", "epidemic", "vaccine", "vaccines", "hospital",
        "cancer", "covid", "infection", "medical", "patients", "doctors",
    ]),
    ("Violence and crime", &[
        "murder", "killed", "killing", "shooting", "stabbing", "assault", "homicide", "massacre", "gunman",
        "violence", "violent", "terrorist", "terrorism", "bomb", "bombing", "hostage", "hostages",
    ]),
    ("Tabloid and gossip", &[
        "gossip", "tabloid", "scandal", "rumor", "rumors", "rumour", "rumours", "affair", "feud", "divorce",
        "breakup", "paparazzi", "viral",
    ]),
    ("Crypto", &[
        "crypto", "cryptocurrency", "cryptocurrencies", "bitcoin", "ethereum", "blockchain", "nft", "nfts",
        "stablecoin", "stablecoins", "dogecoin", "memecoin", "defi", "web3", "binance", "coinbase",
    ]),
    ("Celebrities", &[
        "celebrity", "celebrities", "hollywood", "kardashian", "taylor swift", "red carpet", "pop star",
        "influencer", "influencers", "royal family", "oscars", "grammys", "met gala",
    ]),
    ("Sports", &[
        "sport", "sports", "football", "soccer", "basketball", "baseball", "tennis", "golf", "cricket",
        "rugby", "nfl", "nba", "nhl", "mlb", "olympics", "olympic", "world cup", "championship", "tournament",
        "premier league", "formula 1", "f1",
    ]),
    ("Artificial intelligence", &[
        "ai", "artificial intelligence", "generative ai", "chatgpt", "openai", "llm", "llms",
        "large language model", "machine learning", "chatbot", "chatbots", "deepfake", "deepfakes",
        "anthropic", "deepmind", "neural network",
    ]),
    ("Climate", &[
        "climate", "climate change", "global warming", "emissions", "carbon", "co2", "greenhouse gas",
        "heatwave", "drought", "wildfire", "wildfires", "net zero", "fossil fuels", "renewables", "sea level",
    ]),
    ("Sexual misconduct", &[
        "sexual misconduct", "sexual assault", "sexual abuse", "sexual harassment", "sex abuse", "rape",
        "raped", "molestation", "sex offender", "sex trafficking", "grooming", "metoo", "epstein",
    ]),
];

pub(super) const DE: Table = [
    ("Politik", &[
        "politik", "politiker", "wahl", "wahlen", "wahlkampf", "bundestag", "parlament", "regierung",
        "kanzler", "bundeskanzler", "minister", "ministerin", "koalition", "opposition", "partei", "parteien",
        "abstimmung", "präsident", "abgeordnete",
    ]),
    ("Kriege und Konflikte", &[
        "krieg", "kriege", "invasion", "militär", "armee", "truppen", "soldaten", "bundeswehr", "luftangriff",
        "luftangriffe", "rakete", "raketen", "waffenruhe", "front", "gefechte", "kämpfe", "drohnenangriff",
    ]),
    ("Gesundheit", &[
        "gesundheit", "krankheit", "virus", "ausbruch", "pandemie", "epidemie", "impfung", "impfstoff",
        "krankenhaus", "klinik", "krebs", "corona", "covid", "infektion", "patienten", "ärzte", "medizin",
    ]),
    ("Gewalt und Kriminalität", &[
        "mord", "getötet", "tötung", "totschlag", "schüsse", "schießerei", "messerangriff", "messerstecherei",
        "angriff", "gewalt", "anschlag", "terror", "terroranschlag", "bombe", "geisel", "geiselnahme",
        "amoklauf",
    ]),
    ("Boulevard und Klatsch", &[
        "klatsch", "boulevard", "skandal", "gerücht", "gerüchte", "affäre", "trennung", "scheidung",
        "liebes-aus", "paparazzi", "eklat",
    ]),
    ("Krypto", &[
        "krypto", "kryptowährung", "kryptowährungen", "bitcoin", "ethereum", "blockchain", "nft",
        "stablecoin", "dogecoin", "memecoin", "web3", "binance", "coinbase",
    ]),
    ("Prominente", &[
        "promi", "promis", "prominente", "hollywood", "kardashian", "taylor swift", "roter teppich",
        "popstar", "influencer", "königshaus", "royals", "oscar", "oscars", "grammy",
    ]),
    ("Sport", &[
        "sport", "fußball", "bundesliga", "basketball", "handball", "tennis", "golf", "eishockey", "olympia",
        "olympische spiele", "weltmeisterschaft", "wm", "em", "champions league", "formel 1", "dfb", "nba",
        "nfl",
    ]),
    ("Künstliche Intelligenz", &[
        "ki", "ai", "künstliche intelligenz", "generative ki", "chatgpt", "openai", "sprachmodell",
        "sprachmodelle", "maschinelles lernen", "chatbot", "chatbots", "deepfake", "deepfakes", "anthropic",
        "deepmind",
    ]),
    ("Klima", &[
        "klima", "klimawandel", "klimaschutz", "klimakrise", "erderwärmung", "emissionen", "co2",
        "treibhausgase", "hitzewelle", "dürre", "waldbrand", "waldbrände", "klimaneutral",
        "fossile brennstoffe", "erneuerbare energien",
    ]),
    ("Sexuelles Fehlverhalten", &[
        "sexueller missbrauch", "sexuelle belästigung", "sexuelle gewalt", "vergewaltigung", "vergewaltigt",
        "missbrauch", "missbrauchsvorwürfe", "sexualstraftäter", "übergriff", "übergriffe", "metoo",
        "epstein",
    ]),
];

pub(super) const ES: Table = [
    ("Política", &[
        "política", "político", "políticos", "elecciones", "elección", "parlamento", "congreso", "senado",
        "presidente", "gobierno", "ministro", "ministra", "campaña electoral", "partido", "oposición",
        "votación", "referéndum",
    ]),
    ("Guerras y conflictos", &[
        "guerra", "guerras", "invasión", "militar", "militares", "ejército", "tropas", "bombardeo",
        "ataque aéreo", "misil", "misiles", "alto el fuego", "frente", "combates", "dron", "drones",
    ]),
    ("Salud", &[
        "salud", "sanidad", "enfermedad", "virus", "brote", "pandemia", "epidemia", "vacuna", "vacunas",
        "hospital", "cáncer", "covid", "infección", "pacientes", "médicos",
    ]),
    ("Violencia y crimen", &[
        "asesinato", "asesinado", "asesinada", "homicidio", "tiroteo", "apuñalamiento", "agresión",
        "violencia", "atentado", "terrorismo", "terrorista", "bomba", "rehenes", "masacre", "crimen",
        "feminicidio",
    ]),
    ("Prensa rosa y cotilleo", &[
        "cotilleo", "chisme", "chismes", "prensa rosa", "escándalo", "rumor", "rumores", "romance",
        "infidelidad", "divorcio", "ruptura", "paparazzi", "polémica",
    ]),
    ("Criptomonedas", &[
        "cripto", "criptomoneda", "criptomonedas", "criptoactivos", "bitcoin", "ethereum", "blockchain",
        "nft", "stablecoin", "dogecoin", "web3", "binance", "coinbase",
    ]),
    ("Famosos", &[
        "famoso", "famosos", "famosa", "famosas", "celebridad", "celebridades", "hollywood", "kardashian",
        "taylor swift", "alfombra roja", "influencer", "influencers", "casa real", "realeza", "oscar",
        "grammy",
    ]),
    ("Deportes", &[
        "deporte", "deportes", "fútbol", "baloncesto", "tenis", "golf", "ciclismo", "laliga",
        "champions league", "mundial", "juegos olímpicos", "olimpiadas", "fórmula 1", "nba",
    ]),
    ("Inteligencia artificial", &[
        "ia", "inteligencia artificial", "ia generativa", "chatgpt", "openai", "modelo de lenguaje",
        "aprendizaje automático", "chatbot", "chatbots", "deepfake", "deepfakes", "anthropic", "deepmind",
    ]),
    ("Clima", &[
        "clima", "cambio climático", "calentamiento global", "emisiones", "carbono", "co2",
        "gases de efecto invernadero", "ola de calor", "sequía", "incendio forestal", "incendios forestales",
        "combustibles fósiles", "energías renovables",
    ]),
    ("Abusos sexuales", &[
        "abuso sexual", "abusos sexuales", "agresión sexual", "acoso sexual", "violación", "violador",
        "pederastia", "pedofilia", "explotación sexual", "metoo", "epstein",
    ]),
];

pub(super) const ET: Table = [
    ("Poliitika", &[
        "poliitika", "poliitik", "poliitikud", "valimised", "valimistel", "riigikogu", "parlament",
        "valitsus", "peaminister", "minister", "president", "koalitsioon", "opositsioon", "erakond",
        "hääletus", "referendum",
    ]),
    ("Sõjad ja konfliktid", &[
        "sõda", "sõja", "sõjas", "sõjavägi", "sissetung", "armee", "väed", "vägede", "õhurünnak", "rakett",
        "raketid", "relvarahu", "rinne", "rindel", "lahingud", "droonirünnak",
    ]),
    ("Tervis", &[
        "tervis", "tervise", "haigus", "haiguse", "viirus", "puhang", "pandeemia", "epideemia", "vaktsiin",
        "vaktsineerimine", "haigla", "vähk", "covid", "nakkus", "patsiendid", "arstid",
    ]),
    ("Vägivald ja kuritegevus", &[
        "mõrv", "mõrva", "tapmine", "tapeti", "tulistamine", "pussitamine", "rünnak", "vägivald", "vägivalla",
        "terrorism", "terrorirünnak", "pomm", "pantvang", "kuritegu",
    ]),
    ("Kõmu ja klatš", &[
        "kõmu", "klatš", "skandaal", "kuulujutt", "kuulujutud", "afäär", "lahutus", "lahkuminek", "paparatso",
    ]),
    ("Krüpto", &[
        "krüpto", "krüptoraha", "krüptovaluuta", "bitcoin", "ethereum", "plokiahel", "blockchain", "nft",
        "stablecoin", "binance", "coinbase",
    ]),
    ("Kuulsused", &[
        "kuulsus", "kuulsused", "staar", "staarid", "popstaar", "hollywood", "kardashian", "taylor swift",
        "punane vaip", "mõjuisik", "mõjuisikud", "kuninglik perekond", "oscar",
    ]),
    ("Sport", &[
        "sport", "spordi", "jalgpall", "korvpall", "tennis", "kergejõustik", "suusatamine", "jäähoki",
        "olümpia", "olümpiamängud", "maailmameistrivõistlused", "mm", "em", "vormel 1",
    ]),
    ("Tehisintellekt", &[
        "tehisintellekt", "tehisaru", "ai", "chatgpt", "openai", "keelemudel", "masinõpe", "vestlusrobot",
        "juturobot", "deepfake", "anthropic",
    ]),
    ("Kliima", &[
        "kliima", "kliimamuutus", "kliimamuutused", "kliimasoojenemine", "heitkogused", "süsinik", "co2",
        "kasvuhoonegaasid", "kuumalaine", "põud", "metsatulekahju", "fossiilkütused", "taastuvenergia",
    ]),
    ("Seksuaalne väärkohtlemine", &[
        "seksuaalne väärkohtlemine", "seksuaalne ahistamine", "seksuaalvägivald", "vägistamine", "vägistas",
        "ahistamine", "pedofiilia", "metoo", "epstein",
    ]),
];

pub(super) const FR: Table = [
    ("Politique", &[
        "politique", "élection", "élections", "parlement", "assemblée nationale", "sénat", "président",
        "gouvernement", "ministre", "premier ministre", "campagne électorale", "parti", "opposition",
        "référendum", "député", "députés",
    ]),
    ("Guerres et conflits", &[
        "guerre", "guerres", "invasion", "militaire", "militaires", "armée", "troupes", "frappe aérienne",
        "frappes", "bombardement", "missile", "missiles", "cessez-le-feu", "front", "combats", "drone",
        "drones",
    ]),
    ("Santé", &[
        "santé", "maladie", "virus", "épidémie", "pandémie", "vaccin", "vaccins", "vaccination", "hôpital",
        "cancer", "covid", "infection", "patients", "médecins", "médical",
    ]),
    ("Violence et criminalité", &[
        "meurtre", "tué", "tuée", "tués", "homicide", "fusillade", "coups de couteau", "agression",
        "violence", "violences", "attentat", "terrorisme", "terroriste", "bombe", "otage", "otages",
        "féminicide",
    ]),
    ("Presse people et ragots", &[
        "ragots", "potins", "scandale", "rumeur", "rumeurs", "liaison", "divorce", "rupture", "paparazzi",
        "buzz", "polémique",
    ]),
    ("Cryptomonnaies", &[
        "crypto", "cryptomonnaie", "cryptomonnaies", "bitcoin", "ethereum", "blockchain", "nft", "stablecoin",
        "dogecoin", "web3", "binance", "coinbase",
    ]),
    ("Célébrités", &[
        "célébrité", "célébrités", "star", "stars", "people", "hollywood", "kardashian", "taylor swift",
        "tapis rouge", "influenceur", "influenceuse", "famille royale", "oscars", "césar",
    ]),
    ("Sport", &[
        "sport", "sports", "football", "ligue 1", "basket", "basketball", "tennis", "rugby", "cyclisme",
        "tour de france", "jeux olympiques", "jo", "coupe du monde", "ligue des champions", "formule 1",
        "psg",
    ]),
    ("Intelligence artificielle", &[
        "ia", "intelligence artificielle", "ia générative", "chatgpt", "openai", "mistral ai",
        "modèle de langage", "apprentissage automatique", "chatbot", "chatbots", "deepfake", "deepfakes",
        "anthropic", "deepmind",
    ]),
    ("Climat", &[
        "climat", "climatique", "changement climatique", "réchauffement climatique", "émissions", "carbone",
        "co2", "gaz à effet de serre", "canicule", "sécheresse", "incendie", "incendies", "énergies fossiles",
        "énergies renouvelables",
    ]),
    ("Violences sexuelles", &[
        "agression sexuelle", "agressions sexuelles", "abus sexuels", "harcèlement sexuel", "viol", "viols",
        "violé", "inceste", "pédocriminalité", "pédophilie", "metoo", "epstein",
    ]),
];

pub(super) const HI: Table = [
    ("राजनीति", &[
        "राजनीति", "राजनीतिक", "चुनाव", "संसद", "लोकसभा", "राज्यसभा", "विधानसभा", "सरकार", "मंत्री",
        "प्रधानमंत्री", "मुख्यमंत्री", "राष्ट्रपति", "भाजपा", "कांग्रेस", "विपक्ष", "मतदान",
    ]),
    ("युद्ध और संघर्ष", &[
        "युद्ध", "आक्रमण", "सेना", "सैनिक", "सैन्य", "हवाई हमला", "मिसाइल", "युद्धविराम", "संघर्ष",
        "गोलाबारी", "ड्रोन हमला",
    ]),
    ("स्वास्थ्य", &[
        "स्वास्थ्य", "बीमारी", "वायरस", "प्रकोप", "महामारी", "वैक्सीन", "टीकाकरण", "अस्पताल", "कैंसर",
        "कोविड", "संक्रमण", "मरीज", "डॉक्टर",
    ]),
    ("हिंसा और अपराध", &[
        "हत्या", "गोलीबारी", "चाकू", "हमला", "हिंसा", "आतंकवाद", "आतंकवादी", "आतंकी", "बम धमाका", "विस्फोट",
        "बंधक", "अपराध",
    ]),
    ("गपशप", &["गपशप", "अफवाह", "स्कैंडल", "तलाक", "ब्रेकअप", "अफेयर", "वायरल"]),
    ("क्रिप्टो", &[
        "क्रिप्टो", "क्रिप्टोकरेंसी", "बिटकॉइन", "एथेरियम", "ब्लॉकचेन", "एनएफटी", "crypto", "bitcoin",
        "ethereum", "blockchain", "nft",
    ]),
    ("सेलेब्रिटी", &[
        "सेलेब्रिटी", "सेलिब्रिटी", "बॉलीवुड", "हॉलीवुड", "फिल्म स्टार", "अभिनेता", "अभिनेत्री", "सुपरस्टार",
        "इन्फ्लुएंसर", "शाही परिवार",
    ]),
    ("खेल", &[
        "खेल", "क्रिकेट", "फुटबॉल", "हॉकी", "टेनिस", "कबड्डी", "ओलंपिक", "विश्व कप", "आईपीएल", "बीसीसीआई",
        "ipl", "cricket",
    ]),
    ("कृत्रिम बुद्धिमत्ता", &[
        "कृत्रिम बुद्धिमत्ता", "एआई", "आर्टिफिशियल इंटेलिजेंस", "चैटजीपीटी", "ओपनएआई", "चैटबॉट", "डीपफेक",
        "मशीन लर्निंग", "ai", "chatgpt", "openai",
    ]),
    ("जलवायु", &[
        "जलवायु", "जलवायु परिवर्तन", "ग्लोबल वार्मिंग", "उत्सर्जन", "कार्बन", "ग्रीनहाउस गैस", "हीटवेव",
        "सूखा", "जंगल की आग", "जीवाश्म ईंधन", "नवीकरणीय ऊर्जा",
    ]),
    ("यौन दुराचार", &[
        "यौन उत्पीड़न", "यौन शोषण", "यौन हिंसा", "दुष्कर्म", "बलात्कार", "छेड़छाड़", "मीटू", "metoo",
        "epstein",
    ]),
];

pub(super) const IT: Table = [
    ("Politica", &[
        "politica", "politico", "politici", "elezioni", "elezione", "parlamento", "camera dei deputati",
        "senato", "presidente", "governo", "ministro", "premier", "campagna elettorale", "partito",
        "opposizione", "referendum",
    ]),
    ("Guerre e conflitti", &[
        "guerra", "guerre", "invasione", "militare", "militari", "esercito", "truppe", "raid aereo",
        "bombardamento", "missile", "missili", "cessate il fuoco", "tregua", "fronte", "combattimenti",
        "drone", "droni",
    ]),
    ("Salute", &[
        "salute", "sanità", "malattia", "virus", "focolaio", "pandemia", "epidemia", "vaccino", "vaccini",
        "ospedale", "cancro", "tumore", "covid", "infezione", "pazienti", "medici",
    ]),
    ("Violenza e criminalità", &[
        "omicidio", "ucciso", "uccisa", "sparatoria", "accoltellato", "accoltellamento", "aggressione",
        "violenza", "attentato", "terrorismo", "terrorista", "bomba", "ostaggi", "strage", "femminicidio",
        "mafia",
    ]),
    ("Gossip", &[
        "gossip", "pettegolezzi", "scandalo", "indiscrezioni", "flirt", "tradimento", "divorzio", "rottura",
        "paparazzi", "paparazzati", "polemica",
    ]),
    ("Criptovalute", &[
        "cripto", "criptovaluta", "criptovalute", "bitcoin", "ethereum", "blockchain", "nft", "stablecoin",
        "dogecoin", "web3", "binance", "coinbase",
    ]),
    ("Celebrità", &[
        "celebrità", "vip", "star", "hollywood", "kardashian", "taylor swift", "red carpet", "tappeto rosso",
        "influencer", "famiglia reale", "oscar", "sanremo",
    ]),
    ("Sport", &[
        "sport", "calcio", "serie a", "basket", "pallacanestro", "tennis", "ciclismo", "giro d'italia",
        "olimpiadi", "mondiali", "champions league", "formula 1", "motogp",
    ]),
    ("Intelligenza artificiale", &[
        "ia", "ai", "intelligenza artificiale", "chatgpt", "openai", "modello linguistico",
        "apprendimento automatico", "chatbot", "deepfake", "anthropic", "deepmind",
    ]),
    ("Clima", &[
        "clima", "cambiamento climatico", "cambiamenti climatici", "riscaldamento globale", "emissioni",
        "carbonio", "co2", "gas serra", "ondata di calore", "siccità", "incendi", "combustibili fossili",
        "energie rinnovabili",
    ]),
    ("Abusi sessuali", &[
        "abusi sessuali", "abuso sessuale", "violenza sessuale", "molestie sessuali", "molestie", "stupro",
        "pedofilia", "metoo", "epstein",
    ]),
];

pub(super) const JA: Table = [
    ("政治", &["政治", "選挙", "国会", "衆議院", "参議院", "首相", "内閣", "政府", "大臣", "大統領", "与党", "野党", "自民党", "投票", "政権"]),
    ("戦争・紛争", &["戦争", "紛争", "侵攻", "軍事", "軍隊", "部隊", "空爆", "ミサイル", "停戦", "戦闘", "前線", "ドローン攻撃", "自衛隊"]),
    ("健康", &[
        "健康", "病気", "ウイルス", "感染", "感染症", "パンデミック", "ワクチン", "病院", "癌", "がん治療", "新型コロナ", "コロナ", "医療", "患者",
    ]),
    ("暴力・犯罪", &[
        "殺人", "殺害", "銃撃", "発砲", "刺傷", "刺殺", "暴行", "暴力", "テロ事件", "テロ攻撃", "テロリスト", "爆弾", "爆破", "人質", "犯罪",
    ]),
    ("ゴシップ", &["ゴシップ", "スキャンダル", "不倫", "熱愛", "離婚", "破局", "週刊誌", "炎上", "パパラッチ"]),
    ("暗号資産", &["暗号資産", "仮想通貨", "暗号通貨", "ビットコイン", "イーサリアム", "ブロックチェーン", "nft", "bitcoin"]),
    ("有名人", &["有名人", "芸能人", "芸能", "セレブ", "ハリウッド", "俳優", "女優", "アイドル", "インフルエンサー", "皇室", "王室", "アカデミー賞"]),
    ("スポーツ", &[
        "スポーツ", "サッカー", "野球", "プロ野球", "テニス", "バスケットボール", "ラグビー", "ゴルフ", "相撲", "オリンピック", "五輪", "ワールドカップ",
        "jリーグ",
    ]),
    ("AI・人工知能", &["ai", "人工知能", "生成ai", "chatgpt", "openai", "大規模言語モデル", "機械学習", "チャットボット", "ディープフェイク"]),
    ("気候", &[
        "気候", "気候変動", "地球温暖化", "温暖化", "温室効果ガス", "排出量", "二酸化炭素", "脱炭素", "猛暑", "熱波", "干ばつ", "山火事", "化石燃料",
        "再生可能エネルギー",
    ]),
    ("性的不正行為", &["性的暴行", "性暴力", "性加害", "性被害", "セクハラ", "強制わいせつ", "不同意性交", "性的虐待", "痴漢", "metoo", "エプスタイン"]),
];

pub(super) const NL: Table = [
    ("Politiek", &[
        "politiek", "politieke", "verkiezingen", "verkiezing", "tweede kamer", "eerste kamer", "parlement",
        "kabinet", "regering", "premier", "minister", "president", "coalitie", "oppositie", "partij",
        "referendum",
    ]),
    ("Oorlogen en conflicten", &[
        "oorlog", "oorlogen", "invasie", "militair", "militairen", "leger", "troepen", "luchtaanval",
        "luchtaanvallen", "raket", "raketten", "staakt-het-vuren", "wapenstilstand", "front", "gevechten",
        "drone", "drones",
    ]),
    ("Gezondheid", &[
        "gezondheid", "ziekte", "virus", "uitbraak", "pandemie", "epidemie", "vaccin", "vaccinatie",
        "ziekenhuis", "kanker", "corona", "covid", "infectie", "patiënten", "artsen",
    ]),
    ("Geweld en misdaad", &[
        "moord", "vermoord", "gedood", "schietpartij", "steekpartij", "neergestoken", "mishandeling",
        "geweld", "aanslag", "terrorisme", "terrorist", "bom", "gijzeling", "misdaad", "liquidatie",
    ]),
    ("Roddels", &[
        "roddel", "roddels", "schandaal", "gerucht", "geruchten", "affaire", "scheiding", "relatiebreuk",
        "paparazzi", "ophef",
    ]),
    ("Crypto", &[
        "crypto", "cryptomunt", "cryptomunten", "cryptovaluta", "bitcoin", "ethereum", "blockchain", "nft",
        "stablecoin", "binance", "coinbase",
    ]),
    ("Beroemdheden", &[
        "beroemdheid", "beroemdheden", "bn'er", "ster", "sterren", "hollywood", "kardashian", "taylor swift",
        "rode loper", "influencer", "koningshuis", "koninklijke familie", "oscar",
    ]),
    ("Sport", &[
        "sport", "voetbal", "eredivisie", "wielrennen", "schaatsen", "tennis", "hockey", "olympische spelen",
        "wk", "ek", "champions league", "formule 1", "verstappen",
    ]),
    ("Kunstmatige intelligentie", &[
        "ai", "kunstmatige intelligentie", "generatieve ai", "chatgpt", "openai", "taalmodel", "taalmodellen",
        "machine learning", "chatbot", "chatbots", "deepfake", "deepfakes", "anthropic",
    ]),
    ("Klimaat", &[
        "klimaat", "klimaatverandering", "klimaatcrisis", "opwarming van de aarde", "uitstoot", "co2",
        "broeikasgassen", "stikstof", "hittegolf", "droogte", "bosbrand", "bosbranden",
        "fossiele brandstoffen", "duurzame energie",
    ]),
    ("Seksueel grensoverschrijdend gedrag", &[
        "seksueel misbruik", "seksuele intimidatie", "seksueel geweld", "grensoverschrijdend gedrag",
        "verkrachting", "verkracht", "aanranding", "misbruik", "kindermisbruik", "metoo", "epstein",
    ]),
];

pub(super) const PT: Table = [
    ("Política", &[
        "política", "político", "políticos", "eleições", "eleição", "parlamento", "congresso", "senado",
        "presidente", "governo", "ministro", "ministra", "campanha eleitoral", "partido", "oposição",
        "votação", "referendo", "deputado", "deputados",
    ]),
    ("Guerras e conflitos", &[
        "guerra", "guerras", "invasão", "militar", "militares", "exército", "tropas", "ataque aéreo",
        "bombardeio", "bombardeamento", "míssil", "mísseis", "cessar-fogo", "combates", "drone", "drones",
    ]),
    ("Saúde", &[
        "saúde", "doença", "vírus", "surto", "pandemia", "epidemia", "vacina", "vacinas", "vacinação",
        "hospital", "câncer", "cancro", "covid", "infecção", "pacientes", "médicos",
    ]),
    ("Violência e crime", &[
        "assassinato", "assassinado", "homicídio", "tiroteio", "esfaqueado", "agressão", "violência",
        "atentado", "terrorismo", "terrorista", "bomba", "reféns", "chacina", "massacre", "feminicídio",
        "crime",
    ]),
    ("Fofocas", &[
        "fofoca", "fofocas", "mexerico", "escândalo", "boato", "boatos", "traição", "divórcio", "separação",
        "paparazzi", "polêmica",
    ]),
    ("Criptomoedas", &[
        "cripto", "criptomoeda", "criptomoedas", "bitcoin", "ethereum", "blockchain", "nft", "stablecoin",
        "dogecoin", "web3", "binance", "coinbase",
    ]),
    ("Celebridades", &[
        "celebridade", "celebridades", "famoso", "famosos", "hollywood", "kardashian", "taylor swift",
        "tapete vermelho", "influenciador", "influenciadora", "família real", "oscar",
    ]),
    ("Esportes", &[
        "esporte", "esportes", "desporto", "futebol", "brasileirão", "basquete", "vôlei", "tênis", "ténis",
        "fórmula 1", "jogos olímpicos", "olimpíadas", "copa do mundo", "libertadores", "champions league",
    ]),
    ("Inteligência artificial", &[
        "ia", "inteligência artificial", "ia generativa", "chatgpt", "openai", "modelo de linguagem",
        "aprendizado de máquina", "aprendizagem automática", "chatbot", "chatbots", "deepfake", "deepfakes",
        "anthropic",
    ]),
    ("Clima", &[
        "clima", "mudança climática", "mudanças climáticas", "alterações climáticas", "aquecimento global",
        "emissões", "carbono", "co2", "gases de efeito estufa", "onda de calor", "seca", "queimadas",
        "incêndio florestal", "combustíveis fósseis", "energia renovável",
    ]),
    ("Abuso sexual", &[
        "abuso sexual", "abusos sexuais", "assédio sexual", "violência sexual", "importunação sexual",
        "estupro", "violação", "pedofilia", "exploração sexual", "metoo", "epstein",
    ]),
];

pub(super) const RU: Table = [
    ("Политика", &[
        "политика", "политик", "выборы", "выборах", "выборов", "госдума", "парламент", "президент",
        "правительство", "министерство", "премьер-министр", "кремль", "кремля", "оппозиция", "голосование",
        "референдум", "депутат",
    ]),
    ("Войны и конфликты", &[
        "война", "войны", "войне", "вторжение", "военные", "армия", "армии", "войска", "авиаудар",
        "ракетный удар", "перемирие", "прекращение огня", "фронт", "боевые действия", "обстрел",
        "беспилотник",
    ]),
    ("Здоровье", &[
        "здоровье", "здравоохранение", "болезнь", "заболевание", "вирус", "вспышка", "пандемия", "эпидемия",
        "вакцина", "вакцинация", "больница", "онкология", "ковид", "коронавирус", "инфекция", "пациенты",
        "врачи",
    ]),
    ("Насилие и преступность", &[
        "убийство", "убийства", "убийца", "стрельба", "нападение", "поножовщина", "насилие", "теракт",
        "терроризм", "террорист", "взрыв", "заложники", "преступление",
    ]),
    ("Сплетни", &[
        "сплетни", "слухи", "скандал", "развод", "расставание", "измена", "папарацци", "светская хроника",
    ]),
    ("Криптовалюты", &[
        "криптовалюта", "криптовалюты", "крипто", "биткоин", "биткойн", "эфириум", "блокчейн", "стейблкоин",
        "nft", "bitcoin", "binance",
    ]),
    ("Знаменитости", &[
        "знаменитость", "знаменитости", "звезда", "звёзды", "поп-звезда", "голливуд", "кардашьян",
        "тейлор свифт", "красная дорожка", "инфлюенсер", "блогер", "королевская семья", "оскар",
    ]),
    ("Спорт", &[
        "спортсмен", "спортивн", "футбол", "хоккей", "кхл", "теннис", "баскетбол", "олимпиада",
        "олимпийские игры", "чемпионат", "лига чемпионов", "формула-1", "матч",
    ]),
    ("Искусственный интеллект", &[
        "искусственный интеллект", "искусственного интеллекта", "нейросеть", "нейросети", "языковая модель",
        "машинное обучение", "чат-бот", "дипфейк", "ai", "chatgpt", "openai",
    ]),
    ("Климат", &[
        "климат", "изменение климата", "глобальное потепление", "выбросы", "углерод", "co2",
        "парниковые газы", "аномальная жара", "засуха", "лесные пожары", "ископаемое топливо",
        "возобновляемая энергетика",
    ]),
    ("Сексуальное насилие", &[
        "сексуальное насилие", "сексуальные домогательства", "домогательства", "изнасилование", "изнасиловал",
        "педофилия", "педофил", "растление", "metoo", "эпштейн",
    ]),
];

pub(super) const UK: Table = [
    ("Політика", &[
        "політика", "політик", "вибори", "виборів", "верховна рада", "парламент", "президент", "уряд",
        "міністерство", "прем'єр-міністр", "опозиція", "голосування", "референдум", "депутат",
    ]),
    ("Війни та конфлікти", &[
        "війна", "війни", "війні", "вторгнення", "військові", "армія", "зсу", "війська", "авіаудар",
        "ракетний удар", "перемир'я", "припинення вогню", "фронт", "бойові дії", "обстріл", "безпілотник",
    ]),
    ("Здоров'я", &[
        "здоров'я", "охорона здоров'я", "хвороба", "захворювання", "вірус", "спалах", "пандемія", "епідемія",
        "вакцина", "вакцинація", "лікарня", "онкологія", "ковід", "коронавірус", "інфекція", "пацієнти",
        "лікарі",
    ]),
    ("Насильство і злочинність", &[
        "вбивство", "вбивця", "стрілянина", "напад", "насильство", "теракт", "тероризм", "терорист", "вибух",
        "заручники", "злочин",
    ]),
    ("Плітки", &[
        "плітки", "чутки", "скандал", "розлучення", "розрив", "зрада", "папараці", "світська хроніка",
    ]),
    ("Криптовалюти", &[
        "криптовалюта", "криптовалюти", "крипто", "біткоїн", "біткойн", "ефіріум", "блокчейн", "стейблкоїн",
        "nft", "bitcoin",
    ]),
    ("Знаменитості", &[
        "знаменитість", "знаменитості", "зірка", "зірки", "поп-зірка", "голлівуд", "кардаш'ян",
        "тейлор свіфт", "червона доріжка", "інфлюенсер", "блогер", "королівська родина", "оскар",
    ]),
    ("Спорт", &[
        "спортсмен", "спортивн", "футбол", "хокей", "теніс", "баскетбол", "олімпіада", "олімпійські ігри",
        "чемпіонат", "ліга чемпіонів", "формула-1", "матч",
    ]),
    ("Штучний інтелект", &[
        "штучний інтелект", "штучного інтелекту", "нейромережа", "нейромережі", "мовна модель",
        "машинне навчання", "чат-бот", "діпфейк", "ai", "chatgpt", "openai",
    ]),
    ("Клімат", &[
        "клімат", "зміна клімату", "зміни клімату", "глобальне потепління", "викиди", "вуглець", "co2",
        "парникові гази", "спека", "посуха", "лісові пожежі", "викопне паливо", "відновлювана енергетика",
    ]),
    ("Сексуальне насильство", &[
        "сексуальне насильство", "сексуальні домагання", "домагання", "зґвалтування", "педофілія", "педофіл",
        "розбещення", "metoo", "епштейн",
    ]),
];

pub(super) const ZH_HANS: Table = [
    ("政治", &["政治", "选举", "大选", "议会", "国会", "总统", "总理", "首相", "政府", "部长", "执政党", "反对党", "投票", "公投"]),
    ("战争与冲突", &["战争", "冲突", "入侵", "军事", "军队", "部队", "空袭", "导弹", "停火", "战斗", "前线", "无人机袭击", "炮击"]),
    ("健康", &["健康", "疾病", "病毒", "疫情", "大流行", "疫苗", "医院", "癌症", "新冠", "感染", "患者", "医疗"]),
    ("暴力与犯罪", &["谋杀", "杀害", "枪击", "持刀", "袭击", "暴力", "恐怖袭击", "恐怖主义", "炸弹", "爆炸", "人质", "犯罪", "凶杀"]),
    ("八卦", &["八卦", "绯闻", "丑闻", "传闻", "出轨", "离婚", "分手", "狗仔", "热搜"]),
    ("加密货币", &["加密货币", "虚拟货币", "数字货币", "比特币", "以太坊", "区块链", "稳定币", "nft", "bitcoin"]),
    ("名人", &["名人", "明星", "艺人", "网红", "好莱坞", "娱乐圈", "红毯", "王室", "奥斯卡", "偶像"]),
    ("体育", &[
        "体育", "足球", "篮球", "网球", "乒乓球", "羽毛球", "奥运会", "奥运", "世界杯", "中超", "冠军联赛", "一级方程式", "nba", "cba", "f1",
    ]),
    ("人工智能", &[
        "人工智能", "ai", "生成式ai", "大模型", "大语言模型", "机器学习", "聊天机器人", "深度伪造", "chatgpt", "openai", "deepseek",
    ]),
    ("气候", &["气候", "气候变化", "全球变暖", "温室气体", "碳排放", "二氧化碳", "碳中和", "热浪", "高温", "干旱", "山火", "化石燃料", "可再生能源"]),
    ("性不端行为", &["性侵", "性骚扰", "性暴力", "强奸", "猥亵", "性虐待", "metoo", "爱泼斯坦"]),
];

pub(super) const ZH_HANT: Table = [
    ("政治", &["政治", "選舉", "大選", "議會", "國會", "立法院", "總統", "總理", "首相", "政府", "部長", "執政黨", "反對黨", "投票", "公投"]),
    ("戰爭與衝突", &["戰爭", "衝突", "入侵", "軍事", "軍隊", "部隊", "空襲", "導彈", "飛彈", "停火", "戰鬥", "前線", "無人機攻擊", "砲擊"]),
    ("健康", &["健康", "疾病", "病毒", "疫情", "大流行", "疫苗", "醫院", "癌症", "新冠", "感染", "患者", "醫療"]),
    ("暴力與犯罪", &["謀殺", "殺害", "槍擊", "持刀", "襲擊", "暴力", "恐怖攻擊", "恐怖主義", "炸彈", "爆炸", "人質", "犯罪", "兇殺"]),
    ("八卦", &["八卦", "緋聞", "醜聞", "傳聞", "出軌", "劈腿", "離婚", "分手", "狗仔"]),
    ("加密貨幣", &["加密貨幣", "虛擬貨幣", "數位貨幣", "比特幣", "以太坊", "區塊鏈", "穩定幣", "nft", "bitcoin"]),
    ("名人", &["名人", "明星", "藝人", "網紅", "好萊塢", "演藝圈", "紅毯", "王室", "奧斯卡", "偶像"]),
    ("體育", &["體育", "足球", "籃球", "網球", "棒球", "奧運", "奧運會", "世界盃", "中職", "冠軍聯賽", "一級方程式", "nba", "f1"]),
    ("人工智慧", &["人工智慧", "人工智能", "ai", "生成式ai", "大型語言模型", "機器學習", "聊天機器人", "深度偽造", "深偽", "chatgpt", "openai"]),
    ("氣候", &["氣候", "氣候變遷", "全球暖化", "溫室氣體", "碳排放", "二氧化碳", "碳中和", "熱浪", "高溫", "乾旱", "野火", "化石燃料", "再生能源"]),
    ("性不當行為", &["性侵", "性騷擾", "性暴力", "強姦", "強暴", "猥褻", "性虐待", "metoo", "艾普斯坦"]),
];
