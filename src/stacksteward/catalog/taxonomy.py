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
