"""The martech landscape taxonomy seeded into a new catalog (groups → sub-categories)."""

LANDSCAPE = {
    "Advertising & Promotion": [
        "Mobile Marketing", "Display & Programmatic Advertising", "Search & Social Advertising",
        "Native & Content Advertising", "Video Advertising", "PR", "Print",
    ],
    "Content & Experience": [
        "Mobile Apps", "Interactive Content", "Video Marketing", "Email Marketing", "Content Marketing",
        "Optimization, Personalization & Testing", "DAM & MRM", "SEO",
        "Marketing Automation & Campaign Management", "CMS & Web Experience Management",
    ],
    "Social & Relationships": [
        "Call Analytics & Management", "Account-Based Marketing", "Events, Meetings & Webinars",
        "Social Media Marketing & Monitoring", "Advocacy, Loyalty & Referrals", "Influencers",
        "Feedback & Chatbots", "Community & Reviews", "Customer Experience, Service & Success", "CRM",
    ],
    "Commerce & Sales": [
        "Retail, Proximity & IoT Marketing", "Channel, Partner & Local Marketing",
        "Sales Automation, Enablement & Intelligence", "Affiliate Marketing & Management",
        "Ecommerce Marketing", "Ecommerce Platforms & Carts",
    ],
    "Data": [
        "Audience & Marketing Data", "Marketing Analytics, Performance & Attribution", "Mobile & Web Analytics",
        "Dashboards & Data Visualization", "Business Intelligence & Data Science",
        "iPaaS, Data Integration & Tag Management", "Data Management Platforms",
        "Governance, Compliance & Privacy", "Customer Data Platforms", "Data Warehouses & Databases",
    ],
    "Management": [
        "Talent Management", "Product Management", "Budgeting & Finance", "Collaboration",
        "Projects & Workflow", "Agile & Lean Management", "Vendor Analysis", "Document Storage",
    ],
}


# What people type for a category instead of its name: the usual abbreviations and other words. A category
# is also found by its initials ("cdp" → Customer Data Platforms, "dmp" → Data Management Platforms).
SYNONYMS = {
    "abm": "Account-Based Marketing",
    "bi": "Business Intelligence & Data Science",
    "cms": "CMS & Web Experience Management",
    "crm": "CRM",
    "dam": "DAM & MRM",
    "dwh": "Data Warehouses & Databases",
    "warehouse": "Data Warehouses & Databases",
    "esp": "Email Marketing",
    "newsletter": "Email Marketing",
    "ipaas": "iPaaS, Data Integration & Tag Management",
    "etl": "iPaaS, Data Integration & Tag Management",
    "tag manager": "iPaaS, Data Integration & Tag Management",
    "map": "Marketing Automation & Campaign Management",
    "marketing automation": "Marketing Automation & Campaign Management",
    "a/b testing": "Optimization, Personalization & Testing",
    "ab testing": "Optimization, Personalization & Testing",
    "experimentation": "Optimization, Personalization & Testing",
    "consent": "Governance, Compliance & Privacy",
    "cmp": "Governance, Compliance & Privacy",
    "webinar": "Events, Meetings & Webinars",
    "chatbot": "Feedback & Chatbots",
    "survey": "Feedback & Chatbots",
    "ecommerce": "Ecommerce Platforms & Carts",
    "shop": "Ecommerce Platforms & Carts",
    "analytics": "Mobile & Web Analytics",
    "attribution": "Marketing Analytics, Performance & Attribution",
    "dsp": "Display & Programmatic Advertising",
    "programmatic": "Display & Programmatic Advertising",
    "sem": "Search & Social Advertising",
    "ppc": "Search & Social Advertising",
}

_SMALL_WORDS = {"and", "of", "the", "for", "&"}


def initials(name: str) -> str:
    """The initials of a category's words, small words left out: "Customer Data Platforms" → "cdp"."""
    words = [w for w in name.replace(",", " ").replace("&", " ").replace("-", " ").split()
             if w.lower() not in _SMALL_WORDS]
    return "".join(w[0] for w in words).lower()


def category_matches(text: str, name: str) -> bool:
    """Whether a search for ``text`` finds the category called ``name``: by its name, its initials or a synonym."""
    wanted = " ".join(text.lower().split())
    if not wanted:
        return False
    return (wanted in name.lower() or (len(wanted) >= 2 and wanted == initials(name))
            or SYNONYMS.get(wanted, "").lower() == name.lower())
