# ruff: noqa: E501
# (word-list data: long lines read better than wrapped ones)
"""Regional word lists for the generator (written for this project from general knowledge; CC0).

How housing is named differs by region, and a model trained on one naming habit reads the others
as localities or cuts them at a familiar word. These lists add, per region: the housing words
people write after a name, name stems in transliteration, and hard negatives (colonies, shops,
offices, roads) that look like names but are not buildings. Every list is split train/held-out by
the generator's stable hash, like ``nlp.lexicon``.
"""

from __future__ import annotations

# region -> (housing words written after the name, name stems typical of the region)
REGIONS: dict[str, tuple[list[str], str]] = {
    "bengal": (
        [
            "Abasan",
            "Apartment",
            "Apt.",
            "Apt",
            "Niwas",
            "Bhavan",
            "Villa",
            "Kutir",
            "Enclave",
            "Housing",
            "Residency",
            "Complex",
            "Heights",
            "Bari",
        ],
        """Sukhobristi Anandalok Gitanjali Purbasha Nilachal Sonar-Tori Agradoot Matri Suryodaya Aparajita
        Basundhara Ananya Tarangini Nabadiganta Mayurakshi Rupayan Bichitra Sraboni Jhinuk Shyamoli Kanchan
        Ushasi Padma Ganga-Jamuna Bonolata Swapnaneer Kalyani Debalaya Srijani Chandrima Mohona Sanchita
        Aalo Basanti Utsav Bakul Shimul Palash Champa Rajanigandha Sagarika Prantik Nilanjana Dakshinee""",
    ),
    "gujarat": (
        [
            "Tenements",
            "Bungalows",
            "Flats",
            "Row Houses",
            "Society",
            "Park",
            "Apartment",
            "Residency",
            "Duplex",
            "Twin Bungalows",
            "Complex",
            "Heights",
            "Vihar Society",
            "Co Op Hou Soc",
        ],
        """Shyam Shivalik Sahjanand Swaminarayan Parshwanath Satyam Shreeji Ambika Umiya Khodiyar Jalaram
        Madhuvan Sundaram Vrundavan Shilalekh Aarohi Sangath Shaligram Nandanvan Gokuldham Akshar Sarthi
        Devashish Pushpak Manglam Suryam Shital Nilkanth Rajhans Harekrishna Yogeshwar Krishnakunj Nirant
        Shantivan Utsav Aangan Vishwas Tulip Pramukh Suvidha Mahavir Sanidhya Saket Kamdhenu Ratnadeep""",
    ),
    "kerala": (
        [
            "House",
            "Villa",
            "Bhavan",
            "Mandiram",
            "Nivas",
            "Apartments",
            "Flats",
            "Gardens",
            "Veedu",
            "Illam",
            "Manor",
        ],
        """Puthenpurayil Kizhakkethil Thekkedath Vadakkedath Madathil Kunnathu Pallathu Chirayil Parambil
        Kalathil Mannil Thottathil Padinjare Edathil Koottala Mangalath Kuzhikkattu Plavilayil Kollamparambil
        Valiyaveettil Puthiyaveedu Chembakassery Karimpanal Thazhathu Meledath Kochuparambil Kandathil
        Erattupetta Poovathingal Mundackal Kottaram Njavallil Panackal Ambattu Vettikkattu Manjooran
        Kaithavalappil Olickal Pulickal Thundiyil Kaippally Paruthikattil Nedumpurath Chakkalakkal""",
    ),
    "maharashtra": (
        [
            "Sadan",
            "Chawl",
            "CHS",
            "CHS Ltd",
            "Niwas",
            "Building",
            "Bldg",
            "Apartment",
            "Co-op Hsg Soc",
            "Tower",
            "Smruti",
            "Kunj",
            "Prasad",
            "Heights",
        ],
        """Shivneri Raigad Sinhagad Pratapgad Vitthal Dnyanesh Sanjivani Mangalmurti Chintamani Moreshwar
        Ganeshkrupa Mauli Tulsi Saptashrungi Ekvira Jivdani Swamikrupa Anandvan Sahyadri Kalpataru Nandanvan
        Girija Prathamesh Siddhivinayak Gajanan Omkar Shubhankar Sarthak Pushpanjali Trimurti Mangalya
        Panchavati Yashwant Shivtirth Dattakrupa Vighnaharta Vakratunda Samruddhi Suyog Sukhada""",
    ),
    "tamil": (
        [
            "Illam",
            "Flats",
            "Apartments",
            "Enclave",
            "Residency",
            "Towers",
            "Nest",
            "Homes",
            "Manor",
        ],
        """Thendral Malligai Kaveri Vaigai Ponni Tamarai Arasu Kurinji Mullai Marutham Neithal Valluvar
        Bharathi Kamban Ilango Anbu Aram Sivagami Meenakshi Kamakshi Murugan Senthil Velan Kumaran
        Annai Amudham Pavalam Muthu Thangam Vairam Nila Vaanam Kadal Poovizhi Selvam Thiru""",
    ),
    "telugu": (
        [
            "Nilayam",
            "Residency",
            "Enclave",
            "Towers",
            "Mansion",
            "Heights",
            "Homes",
            "Apartments",
            "Sadan",
            "Nivas",
        ],
        """Srinivasa Venkateswara Lakshmi-Narasimha Sai-Balaji Annapurna Kanaka-Durga Vijaya Padmavathi
        Sri-Krishna Bhavani Rama-Krishna Sri-Venkata Vasantha Sravanthi Sahithi Lahari Sirisha Mythri
        Aditya Manjeera Krishnaveni Gowthami Tungabhadra Simhadri Sri-Sai-Ram Swarna Ratnam Prashanti""",
    ),
    "karnataka": (
        [
            "Nilaya",
            "Residency",
            "Enclave",
            "Apartments",
            "Mane",
            "Nivasa",
            "Homes",
            "Towers",
            "Gardens",
        ],
        """Chamundi Shravanthi Kaveri Tunga Sharavathi Netravathi Sahyadri Malnad Kadamba Hoysala Vijaya
        Annapoorneshwari Manjunatha Mookambika Raghavendra Basava Kalpavruksha Gangotri Chaitra Vasanth
        Shree-Guru Sumukha Soundarya Anugraha Prakruthi Nisarga Aashraya Nandana Varsha Mayura""",
    ),
    "north": (
        [
            "Kunj",
            "Sadan",
            "Apartments",
            "Enclave",
            "Kothi",
            "Haveli",
            "Niwas",
            "Bhawan",
            "Residency",
            "Greens",
            "Homes",
            "Heights",
            "CGHS",
            "Apartment",
            "Society",
            "Villa",
        ],
        """Shivalik Aravali Kailash Himgiri Kanchanjunga Nilgiri Ganga Yamuna Saraswati Jamuna Alaknanda
        Bhagirathi Mandakini Sukh-Shanti Navyug Pragati Ekta Sarvodaya Jan-Kalyan Nav-Nirman Sahyog
        Samrat Rajdhani Indraprastha Hastinapur Kurukshetra Sanskriti Siddharth Anand-Lok Sadbhavna
        Gulmohar Amaltas Kachnar Neelgiri Parijat Mansarovar Satluj Beas Chenab Jhelum Ravi""",
    ),
}

# Family-house names are written "<family name> House" in Kerala, with the post office after:
# "Puthenpurayil House, Kuzhimattom P.O., Kottayam".
POST_OFFICE_TAILS = ["P.O.", "P.O", "PO", "(PO)", "Post"]

# Project-name patterns developers use: the brand before, after, bracketed or glued.
BRAND_PATTERNS = [
    "{brand} {name}",
    "{name} by {brand}",
    "{name} ({brand})",
    "{brand} {name} Phase {n}",
    "{name} {brand}",
    "{brand}{name}",
    # "The" and a number or numeral belong to the name ("<brand> The <name>", "<name> II")
    "{brand} The {name}",
    "The {name} by {brand}",
    "The {name}",
    "{brand} {name} {n}",
]

# Words developers put inside names that are also building or place words: the whole stays the
# building ("Palm Greens Villa", "Gold Coast Towers Annexe", "Park View Residency").
INNER_WORDS = [
    "Greens",
    "Gardens",
    "Park",
    "View",
    "Coast",
    "Towers",
    "Woods",
    "Hills",
    "City",
    "Valley",
    "Lake",
    "Meadows",
    "Court",
    "Homes",
    "Heights",
    "Palms",
    "Acres",
    "Springs",
    "Bay",
    "Point",
    "Square",
    "Vista",
    "Enclave",
    "Residency",
    "Estate",
    "Grove",
    "Gate",
    "Crest",
]
NAME_TAILS = [
    "Villa",
    "Villas",
    "Annexe",
    "Annex",
    "Extension",
    "Apartments",
    "Towers",
    "Residency",
    "Phase 2",
    "Phase II",
    "Heights",
    "Enclave",
    "Homes",
]

# Hard negatives: localities named like societies ("Shastri Khand", "Model Town"), written where
# a building could stand. LOCALITY, never BUILDING.
COLONY_WORDS = [
    "Khand",
    "Nagar",
    "Colony",
    "Vihar",
    "Puram",
    "Town",
    "Extension",
    "Block",
    "Layout",
    "Bagh",
    "Ganj",
    "Mohalla",
    "Basti",
    "Para",
    "Pally",
    "Palli",
    "Wadi",
    "Peth",
    "Sector",
]
COLONY_HEADS = [
    "Shastri",
    "Nehru",
    "Gandhi",
    "Indira",
    "Rajiv",
    "Patel",
    "Subhash",
    "Tilak",
    "Azad",
    "Ambedkar",
    "Vivekanand",
    "Tagore",
    "Ram",
    "Shyam",
    "Krishna",
    "Hanuman",
    "Shiv",
    "Durga",
    "Kali",
    "Lakshmi",
    "Saraswati",
    "Ganesh",
    "Model",
    "Civil",
    "New",
    "Old",
    "Railway",
    "Police",
    "Teachers",
    "Judges",
    "Press",
    "Income-Tax",
    "Sainik",
    "Vikas",
    "Vijay",
    "Jawahar",
    "Kamla",
    "Moti",
    "Lal",
    "Sadar",
    "Kishan",
    "Tulsi",
    "Sant",
    "Guru",
    "Nanak",
    "Jain",
    "Bapu",
    "Netaji",
    "Lajpat",
    "Malviya",
    "Tagore",
    "Sarojini",
    "Kasturba",
    "Rajendra",
    "Prem",
    "Geeta",
    "Anand",
]

# Shops, clinics and offices: not buildings; where a customer names one, it is unlabelled (or a
# landmark after a cue).
SHOP_WORDS = """Kirana Store|General Store|Medicals|Medical Store|Pharmacy|Provision Store|Clinic|Dental Clinic
|Hospital|Nursing Home|Electronics|Mobile Shop|Hardware|Sweets|Bakery|Tailors|Jewellers|Traders
|Enterprises|Associates|Motors|Auto Works|Tyres|Opticals|Book Depot|Xerox|Tiffin Centre|Hotel
|Restaurant|Dhaba|Salon|Beauty Parlour|Boutique|Dairy|Chemists|Diagnostics|Lab|Coaching Centre
|Classes|Academy|Pvt Ltd|Industries|Agencies|Bank|Finance|Insurance|Properties|Realtors""".replace(
    "\n", ""
).split("|")

# Roads named after a place or a person: the whole is the STREET ("Station Road", not "Station").
ROAD_HEADS = [
    "Station",
    "Temple",
    "Church",
    "Mosque",
    "Masjid",
    "Mandir",
    "Market",
    "Bazaar",
    "Hospital",
    "College",
    "School",
    "Court",
    "Jail",
    "Fort",
    "Palace",
    "Lake",
    "Tank",
    "Canal",
    "River",
    "Beach",
    "Bus-Stand",
    "Depot",
    "Mill",
    "Factory",
    "Airport",
    "Cantonment",
    "Club",
    "Stadium",
    "Park",
    "Garden",
    "Bridge",
    "Tower",
    "Clock-Tower",
    "Circuit-House",
    "Collectorate",
    "Cinema",
]

# Units written as one code, "e-1102" / "B2-704" / "T3/1202": the whole code is the UNIT.
UNIT_CODE_LETTERS = "ABCDEFGHJKLMNPRST"

# Cities whose postal districts are written as a number after the name ("Delhi 34",
# "Kolkata 64", "Mumbai 76"): the number is the postal-district shorthand of the pincode.
POSTAL_DISTRICT_CITIES = [
    "Delhi",
    "New Delhi",
    "Kolkata",
    "Calcutta",
    "Mumbai",
    "Bombay",
    "Chennai",
    "Madras",
]
