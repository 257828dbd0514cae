# ruff: noqa: E501
# (word-list data: long lines read better than wrapped ones)
"""Hand-written word lists for the synthetic address generator (written for this project; CC0).

Every list is split into a training part and a held-out part by a stable hash (see
``nlp.generate.split``), so the held-out synthetic set contains names the model never saw.
"""

from __future__ import annotations

# Real-estate developer brands (public company names, used as name parts only).
DEVELOPERS = """Prestige Sobha Brigade Lodha Godrej Hiranandani Oberoi Raheja Purva Puravankara Mantri
Salarpuria Shapoorji Tata Mahindra Kolte-Patil Rustomjee Kalpataru Aparna Ramky Assetz Embassy Adarsh
Provident Shriram Casagrand Appaswamy Olympia Unitech Ansal Supertech Jaypee ATS Gaur Amrapali Mahagun
Ajnara Nirala Eldeco Omaxe Emaar M3M Vatika Parsvnath Ireo Bestech Ambience Nyati Panchshil Marvel VTP
Gera Rohan Paranjape Majestique Mayfair Runwal Nahar Wadhwa Dosti Sheth Kanakia Ekta Hubtown Peninsula
Sunteck Piramal Ozone Lancor Akshaya Hallmark Sumadhura Vaswani Nitesh Century Divyasree Srishti Merlin
Ambuja Shrachi Siddha Unimark Skyline Heera Artech Confident Salarpuria-Sattva Mantri Rajapushpa
Vasavi Ramky Janapriya Cybercity Sri-Aditya Jayabheri Vertex Lansum Incor Hilife Kumar Pride Goel-Ganga
Kohinoor Lunkad Marvel Paranjpe Ashiana Shobha Esteem Sattva Vaishnavi Keerthi NCC SNN Ajmera
Raheja Neelkanth Bhoomi Sethia Romell Kalpataru Chandak Haware Sai-Sharan Arihant Rite Puraniks Shree-Naman"""

# English / aspirational stems used in project names.
STEMS_EN = """Shantiniketan City Palm-Meadows
 Green-Valley Silver-Oak Golden-Gate Royal Grand Elite Park-View Sky Serene Whispering-Palms
Emerald Sapphire Orchid Lotus Jasmine Tulip Magnolia Cedar Maple Willow Sunrise Sunshine Harmony
Paradise Heritage Regency Imperial Signature Crest Vista Horizon Meadows Gardens Woods Greens Springs
Nest Habitat Bellevue Belvedere Brookfield Cambridge Oxford Windsor Kensington Richmond Palm-Grove
Lakeshore Riverside Seasons Evergreen Bluebell Daffodil Lavender Rosewood Sandalwood Teakwood Coral
Pearl Diamond Ruby Topaz Crystal Platinum Galaxy Orbit Nova Zenith Summit Pinnacle Aspire Avenue
Boulevard Court Terraces Residences Solitaire Symphony Melody Rhythm Aura Bliss Serenity Tranquil
Elixir Essence Astra Aria Amber Ivory Opal Jade Onyx Sterling Classic Majestic Supreme Prime
Premier Capitol Central Metro Urban Uptown Downtown Skyline Skyview Seaview Bayview Oceanic Marina
Harbour Cove Lagoon Isle Orchard Vineyard Prairie Savannah Alpine Highland Woodland Parkland Fairway
Golf-Links Green-Acres Sun-City Silver-Springs Blue-Ridge White-House Rainbow Fortune Kingston Queens
Crown Empire Dynasty Legacy Landmark Milestone Icon Vertex Apex Atlantis Altura Avalon Camelot Eden
Elysium Utopia Shangri-La Nirvana Serenity-Heights Hill-View Valley-View Lake-Shore Beach Marine
Mount-View Forest-View Garden-City Palm-Beach Olive Cypress Acacia Banyan Bamboo Aspen Birch Hazel
Ivy Laurel Myrtle Poplar Sequoia Spruce Alder Juniper Linden Rowan Sycamore Chestnut Cherry-Blossom"""

# Indian stems: deities, virtues, rivers, flowers, places, auspicious words.
STEMS_IN = """Sai-Krupa Sai-Darshan Sai-Dham Shanti Shree-Ganesh Om-Sai Gokul Vrindavan Anand
Sukh Shiv-Shakti Lakshmi Gayatri Saraswati Annapurna Ganga Yamuna Kaveri Godavari Narmada Krishna
Radha Gopal Ram Hanuman Balaji Venkateshwara Tirumala Srinivasa Sri-Sai Jai-Hind Vasant Basant Akash
Prithvi Dhara Kiran Jyoti Prabhat Uday Suraj Chandan Kamal Neel Sagar Samudra Parijat Mogra Gulmohar
Ashoka Navratna Panchsheel Kalpana Sneh Prem Mangal Shubh Labh Siddhi Riddhi Vinayak Ganesh Mahavir
Parshwa Swastik Omkar Trimurti Trishul Matru-Chhaya Ashiana Aashiyana Basera Kripa Guru-Kripa
Nanak Sukhmani Amar Ajanta Ellora Kailash Himalaya Vindhya Satpura Aravali Nilgiri Malabar Konark
Kohinoor Rajhans Mayur Koyal Chakor Garuda Nandi Kamdhenu Kalpavriksha Tulsi Madhuban Madhukunj
Anupam Abhinav Adarsh Aditya Akshay Amrut Anmol Apna-Ghar Aradhana Archana Ashray Asmita
Bhagyoday Bhakti Chaitanya Darshan Deep Devki Dhanlaxmi Dwarka Ekdant Gagan Girija Gitanjali Gulshan
Hari-Om Indraprastha Jagruti Janaki Jeevan Kalyan Kamala Kanchan Kaveri-Kunj Kedar Keshav Kushal
Madhav Mahalaxmi Manas Mangalam Manik Meghdoot Mohan Mukund Nalanda Navjeevan Neelkanth Nirmal
Padmavati Pallavi Panchvati Parvati Pavan Prabhu Pragati Prasad Pratiksha Pushpak Raghav Rajlaxmi
Ratna Revati Rohini Sahyadri Samarth Sangam Sanskriti Santosh Sapna Saptagiri Sarvodaya
Satyam Shivam Shraddha Shree-Datta Shrinivas Siddharth Sneh-Deep Sudarshan Sumangal Sundaram Surya
Swapna Tapovan Triveni Tushar Ujjwal Upvan Usha Vaibhav Vaikunth Vandana Varsha Vasudha Vatsalya
Vidya Vijaya Vishwas Yashoda Yogi Yojana Ananta Sri-Venkatesa Sri-Lakshmi Sri-Rama Sri-Durga Maruti
Amrit Jagannath Kamakhya Brahmaputra Lohit Manas-Sarovar Barak Subansiri Kopili Dhansiri Luit
Sankardev Lachit Joymoti Rongali Bihu Kanchenjunga Teesta Mahananda Damodar Subarnarekha"""

# Given names and surnames: named houses ("Sharma Villa"), commercial buildings ("DAS COMPLEX"),
# shops ("Ramesh Provision Store"), S/O and C/O fields (never a building there).
FIRST_NAMES = """Ramesh Suresh Mahesh Rajesh Dinesh Ganesh Mukesh Rakesh Anil Sunil Vijay Ajay Sanjay
Ravi Kiran Arun Varun Tarun Amit Sumit Rohit Mohit Ankit Nikhil Rahul Vikas Prakash Deepak Ashok
Ramakrishna Venkata Srinivas Nagaraju Lakshmana Subba Rao Chandra Hari Gopala Narayana
Anjaneyulu
 Dinesh Manoj Pankaj Bimal Kamal
Nirmal Dilip Pranab Biren Hemanta Jatin Bhupen Tarun Bipul Dhruba Kishore Raju Babu Lalit Gopal
Priya Sunita Anita Kavita Rekha Meena Geetha Lakshmi Padma Sarita Usha Asha Nirmala Savitri Radha
Mohammed Abdul Imran Salim Farooq Yusuf Iqbal Rashid Harpreet Gurpreet Jaswinder Baldev Kuldeep
Bhaskar Debashis Pranjal Nayan Jyotirmoy Anupam Partha Mrinal Utpal Himangshu Rupam Bhargav Sanjib
Kaushik Dipankar Nilotpal Ritu Pallavi Moushumi Jayashree Sagarika Bornali Chayanika Venkatesh
Satyanarayana Veerabhadra Mallikarjuna Obulesu Chinna Pedda Ravindra Sekhar Madhava Govinda"""

SURNAMES = """Sharma Verma Gupta Agarwal Jain Bansal Goyal Mittal Singhal Bajaj
Patel Shah Mehta Desai Joshi Kulkarni Deshpande Patil Pawar Jadhav Shinde More Iyer Iyengar Nair
Menon Pillai Reddy Naidu Rao Chowdary Raju Varma Das Dutta Bose Ghosh Sen Roy Chatterjee Banerjee
Mukherjee Sarma Baruah Bora Gogoi Saikia Kalita Hazarika Deka Phukan Choudhury
Singh Yadav Kumar Mishra Tiwari Pandey Dubey Srivastava Saxena Kapoor Khanna Malhotra Arora Sethi
Bhatia Chopra Gill Sandhu Grewal Sidhu Khan Ahmed Qureshi Ansari Siddiqui Fernandes D'Souza Pinto
Rodrigues Gomes Mathew Thomas Joseph Kurian Varghese Krishnan Subramaniam Venkatesan Raman
Agarwalla Poddar Khaitan Saraf Surana Lohia Bhattacharya Bhuyan Borah Nath Medhi Barman Sinha
Lahiri Kakati Mahanta Rajkhowa Sonowal Pathak Khaund Bothra Sethia Dugar Chokhani Rungta Kedia
Beria Bhandari Rathore Chauhan Thakur Rawat Negi Bisht Gowda Hegde Shetty Kamath Pai Shenoy"""

# Building / society suffixes with their written variants (canonical form first).
BUILDING_SUFFIXES = {
    "Apartments": ["Apartments", "Apartment", "Apts", "Apt", "Apts.", "Appartments", "Aptmts"],
    "Residency": ["Residency", "Residences", "Residence", "Residancy", "Recidency", "Resi."],
    "Enclave": ["Enclave", "Enclv", "Encl."],
    "Towers": ["Towers", "Tower", "Twrs", "Twr"],
    "Heights": ["Heights", "Hts", "Height", "Hights"],
    "CHS": [
        "CHS",
        "CHS Ltd",
        "CHSL",
        "Co-op Hsg Soc",
        "Co-operative Housing Society",
        "Cooperative Housing Society",
        "Co-op Hsg Society",
        "Housing Society",
        "Society",
        "Soc",
        "Soc.",
        # registered names keep the legal tail ("... Group Housing Society Limited")
        "Co-operative Group Housing Society Ltd",
        "Cooperative Group Housing Society Limited",
        "Group Housing Society",
        "CGHS Ltd",
        "Housing Society Ltd",
        "Co-op Housing Society Limited",
    ],
    "Bhawan": ["Bhawan", "Bhavan", "Bhavanam"],
    "Villa": ["Villa", "Villas"],
    "Niwas": ["Niwas", "Nivas", "Niwaas", "Nivasam"],
    "Nilayam": ["Nilayam", "Nilaya", "Nilay"],
    "Mansion": ["Mansion", "Mansions"],
    "Complex": [
        "Complex",
        "Commercial Complex",
        "Shopping Complex",
        "Housing Complex",
        "Business Centre",
        "Trade Centre",
    ],
    "Plaza": ["Plaza", "Arcade", "Chambers", "Point", "Square", "Mall"],
    "Court": ["Court", "Manor", "House", "Kutir", "Sadan", "Dham", "Niketan", "Ashray"],
    "Building": ["Building", "Bldg", "Bldg.", "Bhavan Building", "Estate", "Annexe"],
    "Homes": [
        "Homes",
        "Habitat",
        "Greens",
        "Meadows",
        "Gardens",
        "Woods",
        "Park",
        "Flats",
        "Quarters",
        "Residential Complex",
        "Township",
        "Villas",
        "Signature",
        "City",
    ],
}

# Locality-shaped words: "X Nagar", "Y Colony". They are LOCALITY, never BUILDING.
LOCALITY_SUFFIXES = [
    "Kunj",
    "Nagar",
    "Colony",
    "Layout",
    "Vihar",
    "Puram",
    "Pet",
    "Peta",
    "Palem",
    "Palli",
    "Halli",
    "Ganj",
    "Bagh",
    "Bazar",
    "Bazaar",
    "Basti",
    "Gaon",
    "Pur",
    "Pura",
    "Abad",
    "Wadi",
    "Wada",
    "Mohalla",
    "Chowk",
    "Tola",
    "Para",
    "Pally",
    "Kuppam",
    "Patti",
    "Kheda",
    "Khurd",
    "Kalan",
    "Extension",
    "Extn",
    "Park",
    "Garden",
    "Town",
    "Market",
    "Thanda",
    "Tanda",
    "Dhani",
]

# Localities that look like buildings (hard negatives: LOCALITY, not BUILDING).
LOCALITY_LOOKALIKES = [
    "Lokhandwala Complex",
    "DLF Phase 3",
    "DLF Phase 1",
    "DLF City Phase 2",
    "HSR Layout",
    "BTM Layout",
    "Sector 62",
    "Sector-50D",
    "Sector 17",
    "Sector 21 C",
    "Industrial Area Phase 1",
    "Industrial Estate",
    "MIDC Industrial Area",
    "Phase 2",
    "Phase 8",
    "Model Town",
    "Civil Lines",
    "Defence Colony",
    "Railway Colony",
    "Police Colony",
    "Teachers Colony",
    "Housing Board Colony",
    "Ashok Vihar",
    "Mayur Vihar Phase 1",
    "Preet Vihar",
    "Janakpuri",
    "Dwarka Sector 10",
    "Rohini Sector 7",
    "Koramangala 6th Block",
    "Rajajinagar 3rd Block",
    "Basaveshwaranagar 2nd Stage",
    "Vijayanagar 4th Stage",
    "Sainikpuri",
    "Kukatpally Housing Board Colony",
    "KPHB Colony",
    "Film Nagar",
    "Vanasthalipuram",
    "Besant Nagar",
    "Vastrapur",
    "Bodakdev",
    "Raja Park",
    "Vaishali Nagar",
    "Patliputra Colony",
    "Gomti Nagar",
    "Aliganj",
    "Indirapuram",
    "Vaishali Sector 4",
    "Raj Nagar Extension",
    "Noida Extension",
    "Greater Noida West",
    "Golf Course Road",
    "Sohna Road",
    "Cyber City",
    "Udyog Vihar Phase 4",
    "Sushant Lok 1",
    "South City 2",
    "Palam Vihar",
    "Panchsheel Enclave",
    "Kalkaji",
    "Okhla Phase 2",
    "Nehru Place",
    "Karol Bagh",
    "Paschim Vihar",
    "Kharghar Sector 12",
    "Vashi Sector 17",
    "Electronic City Phase 1",
    "Magarpatta City",
    "Hinjewadi Phase 2",
    "Salt Lake Sector 5",
    "New Town Action Area 1",
    "Rajarhat",
    "Bhetapara",
    "Zoo Tiniali",
    "Six Mile",
    "Chandmari",
    "Lachit Nagar",
    "Silpukhuri",
    "Sector 35 C",
    "Sector 44 B",
    "Phase 3B2",
    "Aerocity",
    "Zirakpur",
]

STREET_TYPES = """Road|Rd|Rd.|Drive|Boulevard|Main Road|Main Rd|Street|St|St.|Marg|Path|Lane|Ln|Gali|Galli|Cross|Main
|Avenue|Salai|Veedhi|Bylane|By Lane|Highway|Circle|Chowk|Link Road|Ring Road|Outer Ring Road|Feet Road
|Bazar Road|Station Road|Street Road""".replace("\n", "").split("|")

STREET_NAMES = [
    "MG",
    "M.G.",
    "Mahatma Gandhi",
    "Nehru",
    "Netaji Subhash",
    "Subhash",
    "Tilak",
    "Gokhale",
    "Ambedkar",
    "Rajiv Gandhi",
    "Indira Gandhi",
    "Sardar Patel",
    "Vallabhbhai Patel",
    "Hill",
    "Station",
    "College",
    "Hospital",
    "Temple",
    "Church",
    "Mosque",
    "Market",
    "Bazar",
    "Park",
    "Lake",
    "Beach",
    "Club",
    "Cantonment",
    "Court",
    "Jail",
    "Mall",
    "Residency",
    "Richmond",
    "Infantry",
    "Old Airport",
    "Airport",
    "Bannerghatta",
    "Kanakapura",
    "Tumkur",
    "Bellary",
    "Varthur",
    "SV",
    "LBS",
    "Carter",
    "Turner",
    "Hughes",
    "Napean Sea",
    "Pedder",
    "Warden",
    "Veer Savarkar",
    "Senapati Bapat",
    "Karve",
    "FC",
    "JM",
    "Paud",
    "Law College",
    "Sinhagad",
    "Ganeshkhind",
    "Poonamallee",
    "Arcot",
    "GST",
    "OMR",
    "ECR",
    "Kamaraj",
    "Periyar",
    "Rajaji",
    "Kutchery",
    "Ranganathan",
    "Usman",
    "Habibullah",
    "Elgin",
    "Lansdowne",
    "Rashbehari",
    "Jessore",
    "Diamond Harbour",
    "GT",
    "Grand Trunk",
    "Tank Bund",
    "Sarojini Devi",
    "Begumpet",
    "Park Lane",
    "Minister",
    "Necklace",
    "Old Mumbai Highway",
    "Kondapur Main",
    "Bhagat Singh",
    "Lal Bahadur Shastri",
    "Maulana Azad",
    "Tagore",
    "Vivekananda",
    "Rabindra Sarani",
    "Chittaranjan",
    "Lokmanya Tilak",
    "Shivaji",
    "Rani Jhansi",
    "Pandit Nehru",
    "Kasturba",
    "Sarojini Naidu",
    "Gandhi",
    "Nethaji",
    "Patel",
    "Jawaharlal Nehru",
    "Outer Ring",
    "Inner Ring",
    "Service",
    "Bypass",
    "Canal",
    "Dam",
    "Mill",
    "Factory",
    "Bank",
    "Fort",
    "Palace",
    "Tank",
    "Cemetery",
    "Tower",
    "Clock Tower",
    "Fire Station",
    "Police Station",
    "Nursery",
    "Garden",
]

LANDMARK_CUES = """near|Near|NEAR|nr|Nr|Nr.|NR|opp|Opp|Opp.|OPP|OPP.|opposite|Opposite|OPPOSITE|opposite to
|Opposite to|OPPOSITE TO|behind|Behind|BEHIND|Bhd|next to|Next to|NEXT TO|beside|Beside|Besides|BESIDE
|above|Above|ABOVE|below|Below|in front of|In front of|IN FRONT OF|infront of|adjacent to|Adjacent to
|Adj.|Adj|close to|Close to|near to|Near to|Landmark:|Landmark -|LM|Land Mark|Back side of|Backside
|after|After|before|Before|at|Beside the|Near the|Opp to""".replace("\n", "").split("|")

# Places used as landmarks (names are generic or public institutions).
LANDMARK_PLACES = [
    "SBI Branch",
    "SBI ATM",
    "HDFC Bank",
    "ICICI Bank",
    "Axis Bank",
    "Canara Bank",
    "PNB",
    "Kotak Bank",
    "Bank of Baroda",
    "Union Bank",
    "Andhra Bank",
    "Indian Bank",
    "Post Office",
    "Head Post Office",
    "Police Station",
    "Railway Station",
    "Bus Stand",
    "Bus Depot",
    "Metro Station",
    "Petrol Pump",
    "HP Petrol Pump",
    "Indian Oil Petrol Pump",
    "Railway Gate",
    "Level Crossing",
    "Water Tank",
    "Overhead Tank",
    "Gram Panchayat",
    "Panchayat Office",
    "MRO Office",
    "Tahsil Office",
    "Collector Office",
    "Court",
    "District Court",
    "Civil Hospital",
    "Govt Hospital",
    "General Hospital",
    "Apollo Pharmacy",
    "MedPlus",
    "Medical Store",
    "Clinic",
    "Nursing Home",
    "Government School",
    "Zilla Parishad School",
    "High School",
    "Primary School",
    "Kendriya Vidyalaya",
    "DAV School",
    "College",
    "Degree College",
    "Engineering College",
    "University Gate",
    "Gate No 2",
    "Temple",
    "Durga Mandir",
    "Ram Mandir",
    "Sai Baba Temple",
    "Venkateswara Temple",
    "Ramalayam",
    "Masjid",
    "Jama Masjid",
    "Church",
    "Gurudwara",
    "Dargah",
    "Namghar",
    "More Supermarket",
    "D-Mart",
    "DMart",
    "Spencer's",
    "Vishal Mega Mart",
    "Phoenix Mall",
    "Nexus Mall",
    "Orion Mall",
    "City Centre Mall",
    "PVR Cinema",
    "Cinema Hall",
    "Talkies",
    "Stadium",
    "Children's Park",
    "Lake",
    "Tank",
    "Clock Tower",
    "Ambedkar Statue",
    "Gandhi Statue",
    "Circle",
    "Chowrasta",
    "Flyover",
    "Bridge",
    "Toll Gate",
    "Vegetable Market",
    "Fish Market",
    "Sabzi Mandi",
    "Anaj Mandi",
    "Telephone Exchange",
    "BSNL Office",
    "Electricity Office",
    "Fire Station",
    "Water Works",
    "Community Hall",
    "Kalyana Mandapam",
    "Marriage Hall",
    "Function Hall",
    "Dhaba",
    "Lodge",
    "Sweet Shop",
    "Bakery",
    "Pan Shop",
    "Kirana Store",
    "Gas Agency",
    "Croma",
    "Titan Showroom",
    "Tanishq",
    "KFC",
    "Pizza Hut",
    "Haldiram's",
    "Bikanervala",
    "Westside",
    "Max Fashion",
    "Raymond Showroom",
    "Jio Store",
    "Airtel Office",
    "Maruti Showroom",
    "Hero Showroom",
    "IT Park",
    "Tech Park",
    "Bus Stop",
    "Auto Stand",
    "Taxi Stand",
    "Ward Office",
    "Municipal Office",
    "Rotary Club",
    "Lions Club",
    "Press Club",
    "Circuit House",
    "Dak Bungalow",
    "Sachivalayam",
    "Secretariat",
    "High Court",
    "Collectorate",
    "Mini Secretariat",
    "Fortis Hospital",
    "Manipal Hospital",
    "Max Hospital",
    "Railway Hospital",
    "ESI Hospital",
    "Veterinary Hospital",
    "Sugar Factory",
    "Rice Mill",
    "Cold Storage",
    "Godown",
    "FCI Godown",
    "Warehouse",
    "Petrol Bunk",
    "Water Tank Road",
    "Tea Garden",
    "Bihu Field",
    "Field",
    "Playground",
    "Cricket Ground",
    "Eidgah",
    "Hanuman Temple",
    "Shani Mandir",
    "Jain Temple",
    "Buddha Vihar",
    "Old Post Office",
    "New Bus Stand",
    "Main Road Junction",
]

SHOP_TYPES = """Provision Store|General Store|Kirana Store|Medical Store|Medical Hall|Clinic|Hardware
|Electricals|Electronics|Textiles|Cloth Store|Jewellers|Sweets|Bakery|Traders|Enterprises|Agencies
|& Co|& Sons|Brothers|Stores|Pharmacy|Dental Clinic|Tailors|Auto Works|Motors|Furniture|Book Depot
|Stationery|Mobile Shop|Hotel|Restaurant|Dhaba|Lodge|Pan Shop|Hair Salon|Photo Studio""".replace(
    "\n", ""
).split("|")

# Words that mark a unit; the number after them belongs to UNIT together with the cue.
UNIT_CUES = """Flat|Flat No|Flat No.|Flat no|FLAT NO|Flat No-|Flat-|Flt|Flat #|Apt|Apt.|Apartment
|House No|House No.|House|H.No.|H.No|H No|H. No.|HNo|Hno|HN|H.NO:|H.No:|House No-|Door No|Door No.|D.No.
|D.No|D No|Dr No|Door|Plot|Plot No|Plot No.|Plot no.|Shop|Shop No|Shop No.|Office No|Unit|Unit No|No.
|No|#|# |Quarter No|Qtr No|Qr No|SCO|SCO No|SCO NO.|Booth No.|Cabin No.|Room No|Villa No|Bungalow No
|Row House|Khasra No|Survey No|Site No|Site|Old No|New No|Block""".replace("\n", "").split("|")

FLOOR_WORDS = """Ground Floor|GF|1st Floor|2nd Floor|3rd Floor|4th Floor|5th Floor|6th Floor|7th Floor
|10th Floor|12th Floor|First Floor|Second Floor|Third Floor|Fourth Floor|Top Floor|IST FLOOR|IIND FLOOR
|IIIRD FLOOR|Ist Floor|IInd Floor|Basement|Upper Ground Floor|UGF|LGF|Mezzanine Floor|Level 4|Level II
|Floor 3|1st flr|2nd flr|3rd flr|4th & 5th Floor|IIRD FLOOR|IVTH FLOOR|IIND. FLOOR|2ND. FLOOR
|FIRST FLOORS|GR. FLOOR|Gr Floor|TOP FLOOR|1ST FLR|LEVEL 2|IIIrd Floor|IIrd Floor""".replace(
    "\n", ""
).split("|")

WING_WORDS = [
    "Tower",
    "Wing",
    "Block",
    "Blk",
    "Tower-",
    "Wing-",
    "Block-",
    "Bldg No",
    "Building No",
    "Type-",
    "Phase",
    "Category",
]

# Variants that customers actually type for the same city (alias lists: first is canonical).
CITY_ALIASES = [
    ["Bengaluru", "Bangalore", "Bengalooru", "Blr", "BLR", "Bangalore City", "Bangalore Urban"],
    ["Gurugram", "Gurgaon", "Ggn"],
    ["Mumbai", "Bombay", "Navi Mumbai", "Thane", "Mumbai Suburban"],
    ["Nashik", "Nasik"],
    ["Visakhapatnam", "Vizag", "Vishakhapatnam", "Visakapatnam", "VSKP"],
    ["Chennai", "Madras"],
    ["Kolkata", "Calcutta", "Kolkatta"],
    ["Thiruvananthapuram", "Trivandrum"],
    ["Kochi", "Cochin", "Ernakulam"],
    ["Mysuru", "Mysore"],
    ["Mangaluru", "Mangalore"],
    ["Belagavi", "Belgaum"],
    ["Kalaburagi", "Gulbarga"],
    ["Hubballi", "Hubli", "Hubli-Dharwad"],
    ["Puducherry", "Pondicherry", "Pondy"],
    ["Prayagraj", "Allahabad"],
    ["Vadodara", "Baroda"],
    ["Pune", "Poona", "Pimpri Chinchwad", "PCMC"],
    ["Hyderabad", "Secunderabad", "Hyd", "Cyberabad"],
    ["Guwahati", "Gauhati", "GHY", "Dispur"],
    ["Sivasagar", "Sibsagar"],
    ["Delhi", "New Delhi", "NCR", "Dilli"],
    ["Noida", "Greater Noida", "Gautam Buddh Nagar"],
    ["Ananthapuramu", "Anantapur", "Ananthapur", "Anantapuram"],
    ["Kadapa", "Cuddapah", "YSR Kadapa"],
    ["Tiruchirappalli", "Trichy", "Tiruchi"],
    ["Thoothukudi", "Tuticorin"],
    ["Vijayawada", "Bezawada"],
    ["Chandigarh", "Chd", "Tricity"],
    ["Mohali", "SAS Nagar"],
    ["Kozhikode", "Calicut"],
    ["Thrissur", "Trichur"],
    ["Bhubaneswar", "Bhubaneshwar", "BBSR"],
    ["Varanasi", "Banaras", "Benares", "Kashi"],
    ["Kanpur", "Cawnpore"],
    ["Shimla", "Simla"],
    ["Panaji", "Panjim"],
    ["Ahmedabad", "Amdavad", "Ahmadabad"],
]

# State names and what people write for them (first is canonical).
STATE_ALIASES = {
    "Andhra Pradesh": ["Andhra Pradesh", "AP", "A.P.", "A.P", "Andhrapradesh", "ANDHRA PRADESH"],
    "Telangana": ["Telangana", "TS", "TG", "Telengana"],
    "Karnataka": ["Karnataka", "KA", "Karnatak", "Karnataka State"],
    "Tamil Nadu": ["Tamil Nadu", "TN", "Tamilnadu", "T.N."],
    "Kerala": ["Kerala", "KL", "Keralam"],
    "Maharashtra": ["Maharashtra", "MH", "Maharastra", "Maharashtra State"],
    "Gujarat": ["Gujarat", "GJ", "Gujrat"],
    "Rajasthan": ["Rajasthan", "RJ", "Raj."],
    "Madhya Pradesh": ["Madhya Pradesh", "MP", "M.P.", "Madhyapradesh"],
    "Uttar Pradesh": ["Uttar Pradesh", "UP", "U.P.", "Uttarpradesh"],
    "Bihar": ["Bihar", "BR"],
    "West Bengal": ["West Bengal", "WB", "W.B.", "Bengal", "Westbengal"],
    "Odisha": ["Odisha", "Orissa", "OD", "OR"],
    "Assam": ["Assam", "AS", "ASSAM", "Unclassified AS"],
    "Punjab": ["Punjab", "PB"],
    "Haryana": ["Haryana", "HR"],
    "Himachal Pradesh": ["Himachal Pradesh", "HP", "H.P.", "Himachal"],
    "Uttarakhand": ["Uttarakhand", "UK", "Uttaranchal"],
    "Jharkhand": ["Jharkhand", "JH"],
    "Chhattisgarh": ["Chhattisgarh", "CG", "Chattisgarh"],
    "Delhi": ["Delhi", "DL", "New Delhi", "NCT of Delhi"],
    "Chandigarh": ["Chandigarh", "CH", "Chandigarh UT"],
    "Goa": ["Goa", "GA"],
    "Jammu & Kashmir": ["Jammu & Kashmir", "J&K", "Jammu and Kashmir", "JK"],
    "Tripura": ["Tripura", "TR"],
    "Meghalaya": ["Meghalaya", "ML"],
    "Manipur": ["Manipur", "MN"],
    "Nagaland": ["Nagaland", "NL"],
    "Mizoram": ["Mizoram", "MZ"],
    "Sikkim": ["Sikkim", "SK"],
    "Arunachal Pradesh": ["Arunachal Pradesh", "AR", "Arunachal"],
    "Pondicherry": ["Puducherry", "Pondicherry", "PY"],
}

# Rural / administrative cue words before a locality (the cue is part of LOCALITY).
ADMIN_CUES = """Village|Vill|Vill.|Gram|Gaon|At|At Post|At/Po|Vill+Po|Mouza|Mohalla|Ward No 12|Ward No 3
|PO|P.O.|P.O|Post|Via|Tehsil|Teh|Tal|Taluka|Taluk|Mandal|Mandalam|Block|Dist|Distt|District|PS|P.S.
|Thana|Panchayat|Gram Panchayat""".replace("\n", "").split("|")

RELATION_CUES = [
    "S/O",
    "D/O",
    "W/O",
    "C/O",
    "s/o",
    "d/o",
    "w/o",
    "c/o",
    "C/o",
    "S/o",
    "H/O",
    "Care of",
]

JUNK = ["-1", "-1", "NA", "N/A", "null", "0", "00", "None", "-", "..", "xx"]

# Districts created after the pincode directory was compiled (public state gazette lists, 2016-
# 2022), many named after people, so the model also sees multi-word person-like district names.
NEW_DISTRICTS = {
    "Andhra Pradesh": [
        "Parvathipuram Manyam",
        "Alluri Sitharama Raju",
        "Anakapalli",
        "Kakinada",
        "Dr. B.R. Ambedkar Konaseema",
        "Eluru",
        "NTR",
        "Palnadu",
        "Bapatla",
        "Sri Potti Sriramulu Nellore",
        "Nandyal",
        "Sri Sathya Sai",
        "YSR Kadapa",
        "Annamayya",
        "Tirupati",
        "Ananthapuramu",
    ],
    "Telangana": [
        "Jayashankar Bhupalpally",
        "Komaram Bheem Asifabad",
        "Rajanna Sircilla",
        "Yadadri Bhuvanagiri",
        "Bhadradri Kothagudem",
        "Jogulamba Gadwal",
        "Medchal Malkajgiri",
        "Mulugu",
        "Narayanpet",
        "Hanumakonda",
        "Vikarabad",
        "Siddipet",
        "Jangaon",
        "Peddapalli",
        "Mancherial",
        "Nirmal",
        "Kamareddy",
    ],
    "Assam": [
        "Bajali",
        "Tamulpur",
        "Biswanath",
        "Charaideo",
        "Hojai",
        "Majuli",
        "South Salmara-Mankachar",
        "West Karbi Anglong",
        "Kamrup Metropolitan",
    ],
    "Karnataka": ["Vijayanagara", "Chikkaballapura", "Ramanagara", "Yadgir"],
    "Tamil Nadu": [
        "Kallakurichi",
        "Tenkasi",
        "Chengalpattu",
        "Ranipet",
        "Tirupathur",
        "Mayiladuthurai",
    ],
    "West Bengal": ["Jhargram", "Kalimpong", "Paschim Bardhaman", "Purba Bardhaman"],
    "Punjab": ["Malerkotla", "Sahibzada Ajit Singh Nagar", "Shaheed Bhagat Singh Nagar"],
    "Uttar Pradesh": ["Kanshi Ram Nagar", "Sant Ravidas Nagar", "Gautam Buddha Nagar"],
}

# Digital address codes customers paste from map apps ("open location code" style), as junk.
PLUS_CODE_CHARS = "23456789CFGHJMPQRVWX"

# Words that name a housing society the way localities are named ("Jyoti Krupa Nagar" is a
# society when a flat/wing/tower sits in it and a real locality follows it).
SOCIETY_AS_PLACE_SUFFIXES = ["Nagar", "Vihar", "Kunj", "Puram", "Park", "Ngr", "Nagar", "Colony"]

# Marketing words developers put between the name and the suffix ("Oakwood Grande Heights").
PROJECT_QUALIFIERS = [
    "Grande",
    "Royale",
    "Luxuria",
    "Elite",
    "Prime",
    "Supreme",
    "Signature",
    "Platinum",
    "Classic",
    "Premium",
    "Exotica",
    "Regalia",
    "Residency",
    "Majestic",
    "Imperial",
    "Splendour",
    "Splendor",
    "Elegance",
    "Paradise",
]

# Firms named under C/O in business addresses; the firm is not the building.
FIRM_TYPES = """Enterprise|Enterprises|Traders|Trading Co|& Co|& Company|& Sons|Industries|Agencies
|Associates|Pvt Ltd|Private Limited|Distributors|Marketing|Chemical Industries|Steels|Motors
|Logistics|Constructions|Infra|Solutions""".replace("\n", "").split("|")

# Unlabelled words seen in village-registry fields pasted from forms and map apps.
RURAL_FILLER = [
    "current office",
    "Near",
    "near",
    "Home",
    "house",
    "Gram Panchayat Office",
    "Ward Sachivalayam",
    "Grama Sachivalayam",
    "Andhra Pragathi Grameena Bank",
    "APGB",
    "SBI",
    "Post Office",
    "Anganwadi Centre",
    "School",
]

# Developer brands made of ordinary English words ("<adjective/possessive> <home word>"): the
# generator pairs every head with every tail and puts a project name after the brand, so the
# model learns that a function word or a suffix-like word ("Home", "Park", "City") at the start
# of a building name does not end it. Pairs are split train/held-out like every other list.
BRAND_HEADS = """My Our Your Happy Green Sun Blue Silver Golden Dream Sweet New Good Bright Star True
Pure Smart Urban Rich White Red Sky Big Little Fine Rain Lake Hill Sea Moon Orange Honey Joy Lucky
Peace Nature Wonder Magic First Grand Royal Open Free Cool Fresh Lovely Proud Sunny"""
BRAND_TAILS = """Home Homes Park City Ridge Nest Space Spaces Life Earth World Land Estates Habitat
Hills Valley Tree Living Abode Haven Dwellings Villas Acres Fields County Shelter Castle Gardens
Town Sky Springs"""

# Suffix-less society names as written in Mumbai/Pune/Thane addresses right after the flat
# number ("302 <name> <locality> West"): a deity or virtue word followed by a blessing/abode
# word. Heads and tails are paired by the generator (pairs split train/held-out).
SOCIETY_HEADS = """Sai Om Shree Shri Shiv Jai Jay Krishna Ram Gokul Ganga Guru Mahavir Swami Datta Gajanan
Vithal Ambe Laxmi Durga Hari Ganesh Ekvira Mauli Siddhi Parshwa Navkar Vardhman Shanti Prem Anand
Sukh Amrut Kailas Vrindavan Dwarka Radha Gopi Shyam Meera Yamuna Saraswati Gayatri Hanuman Balaji
Sagar Chandra Surya Akash Vasant Nav Jeevan Matru Pitru Gurudev Samarth Swami-Samarth Tulja Renuka
Jivdani Mahalaxmi Vishnu Narayan Keshav Madhav Ashtavinayak Dnyaneshwar Tukaram Sant"""
SOCIETY_TAILS = """Krupa Kripa Shanti Darshan Dham Kunj Sadan Smruti Smriti Prasad Ashish Ashirwad Chhaya
Sagar Deep Leela Tirth Sparsh Bhakti Aangan Vatika Prerana Sankul Vihar Sneh Bandhan Sthan
Shraddha Sangam Dhara Jyot Ratna Nidhi Milan Bhuvan Angan Prabha Kiran Niketan Shilp
Vaibhav Saubhagya Gaurav Anugrah Punya Seva Niwas Palace Ganga Chhatra"""

# How locality names end in Mumbai/Pune/Thane addresses ("<suburb> West", "<suburb> (E)").
DIRECTION_TAILS = [
    "West",
    "East",
    "(West)",
    "(East)",
    "(W)",
    "(E)",
    "W",
    "E",
    "(w)",
    "(e)",
    "W.",
    "E.",
    "West Side",
    "North",
    "South",
    "(N)",
    "(S)",
]

# Society words after a suffix-less name ("Shiv Darshan CHS").
SOCIETY_WORDS = ["CHS", "CHS Ltd", "CHSL", "Co-op Hsg Soc", "Bldg", "Apt", "Society", "Soc."]

# Sentence openers customers type before the address ("my home is near ..."): never a label,
# and "My Home" here is not the developer brand.
CHATTY_OPENERS = [
    "my home is",
    "My home is",
    "my house is",
    "My house is",
    "my house is at",
    "my flat is in",
    "our house is",
    "I live in",
    "i live at",
    "we stay at",
    "I stay near",
    "my address is",
    "my home address is",
    "home is",
    "please deliver at",
    "deliver to my home at",
]
