"""The demo company: Kestrel Instruments, a maker of industrial sensors.

Kestrel sells to plant engineers (B2B: account-based marketing, webinars, trade shows) and runs
a small web store for spare parts. Its martech stack has grown for a decade: about fifty
components, nine departments and thirty-odd people who own, run and argue about them.

Everything is written through the services (``source="system"``), so the demo has the same
validation, versions and audit trail as data typed into the UI. ``load_demo`` is idempotent:
each object is looked up by its natural key (slug, email, name…) and created only when missing.

The data contains deliberate gaps so the health report has one finding of every kind:

- Looker Studio has no business owner; Google Drive, Zapier and Mailchimp have no technical owner;
- two departments are both Accountable for the website's configuration, and Marketing and PR
  both for the LinkedIn page's content; nobody is Accountable for Segment's continuity or for
  data privacy in the SharePoint marketing site;
- Google Drive (agency share) and Zapier are shadow IT;
- Marketo Engage is retired, yet Tableau still reads its nightly export;
- Olivia Brandt (webinars, events) is on leave and Greg Palmer (Vidyard) has left;
- the vendor of the reviews widget, ReviewRadar, has shut down.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from stacksteward.catalog import services as catalog_services
from stacksteward.catalog.choices import DATA_CATEGORIES, RaciActivityChoices
from stacksteward.catalog.models import Category, Component, DataCategory, RaciAssignment, Relation, Vendor
from stacksteward.catalog.taxonomy import LANDSCAPE
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.models import AuditEntry
from stacksteward.core.services import object_create
from stacksteward.org import services as org_services
from stacksteward.org.models import Department, Person

COMPANY = "Kestrel Instruments"
DOMAIN = "kestrel-instruments.example"
DEMO_ACTOR = "demo"
SYSTEM = AuditSourceChoices.SYSTEM

# Departments ------------------------------------------------------------------------------
# (key, name, kind, description)
DEPARTMENTS = [
    ("marketing", "Marketing", "marketing",
     "Brand, content, demand generation, events and marketing operations."),
    ("it", "IT", "it", "Enterprise architecture, integration, security and the service desk."),
    ("data", "Data & Analytics", "data", "The warehouse, BI and the analytics engineers."),
    ("legal", "Legal", "legal", "Contracts, privacy and compliance."),
    ("procurement", "Procurement", "procurement", "Buying software and services; vendor management."),
    ("pr", "Communications & PR", "pr", "Press, corporate communications and the social channels' voice."),
    ("product", "Product Management", "product", "Product lines, the parts web store and customer feedback."),
    ("sales", "Sales", "sales", "Field and inside sales, sales operations and partners."),
    ("finance", "Finance", "finance", "Budgets, invoices and the ERP."),
]

# People -----------------------------------------------------------------------------------
# (key, name, department key, title, archetype, manager key, available). Managers come first.
PEOPLE = [
    ("maya", "Maya Okafor", "marketing", "Chief Marketing Officer", "marketer", None, True),
    ("robert", "Robert Kim", "it", "Chief Information Officer", "none", None, True),
    ("henrik", "Henrik Larsen", "finance", "Chief Financial Officer", "none", None, True),
    ("isabel", "Isabel Ortega", "legal", "General Counsel", "none", None, True),
    ("victor", "Victor Alvarez", "sales", "VP Sales", "none", None, True),
    ("elena", "Elena Rossi", "product", "VP Product", "none", None, True),
    ("daniel", "Daniel Reyes", "marketing", "Head of Marketing Operations", "maestro", "maya", True),
    ("priya", "Priya Nair", "marketing", "Marketing Operations Manager", "maestro", "daniel", True),
    ("tom", "Tom Becker", "marketing", "Marketing Automation Specialist", "maker", "priya", True),
    ("ethan", "Ethan Clarke", "marketing", "Marketing Analyst", "modeler", "daniel", True),
    ("sofia", "Sofia Lindqvist", "marketing", "Demand Generation Lead", "marketer", "maya", True),
    ("lucas", "Lucas Moreau", "marketing", "Paid Media Manager", "marketer", "sofia", True),
    ("noor", "Noor Haddad", "marketing", "ABM Manager", "marketer", "sofia", True),
    ("olivia", "Olivia Brandt", "marketing", "Events & Webinars Manager", "marketer", "sofia", False),
    ("hannah", "Hannah Schultz", "marketing", "Content & Brand Lead", "marketer", "maya", True),
    ("jonas", "Jonas Weber", "marketing", "Web & Tracking Developer", "maker", "hannah", True),
    ("amara", "Amara Chen", "marketing", "Social Media Manager", "marketer", "hannah", True),
    ("greg", "Greg Palmer", "marketing", "Marketing Technologist (left in spring)", "maker", "daniel", False),
    ("grace", "Grace Mensah", "it", "Enterprise Architect", "maker", "robert", True),
    ("kevin", "Kevin O'Brien", "it", "Integration Engineer", "maker", "grace", True),
    ("mia", "Mia Johansson", "it", "Web Platform Engineer", "maker", "grace", True),
    ("lena", "Lena Petrova", "it", "IT Security Manager", "none", "robert", True),
    ("samuel", "Samuel Adeyemi", "it", "Service Desk Lead", "none", "robert", True),
    ("arjun", "Arjun Mehta", "data", "Head of Data", "modeler", "robert", True),
    ("chloe", "Chloe Dubois", "data", "Analytics Engineer", "modeler", "arjun", True),
    ("felix", "Felix Wagner", "data", "BI Developer", "modeler", "arjun", True),
    ("marcus", "Marcus Lee", "legal", "Privacy Officer", "none", "isabel", True),
    ("ingrid", "Ingrid Svensson", "procurement", "Procurement Manager", "none", "henrik", True),
    ("paul", "Paul Novak", "procurement", "Software Buyer", "none", "ingrid", True),
    ("zoe", "Zoe Adler", "pr", "Head of Communications", "marketer", "maya", True),
    ("omar", "Omar Farouk", "pr", "PR Specialist", "marketer", "zoe", True),
    ("ben", "Ben Carter", "product", "Product Manager, Parts Web Store", "maker", "elena", True),
    ("julia", "Julia Hartmann", "sales", "Sales Operations Manager", "maker", "victor", True),
    ("aisha", "Aisha Bello", "finance", "Financial Controller", "none", "henrik", True),
]

# Vendors ----------------------------------------------------------------------------------
# (name, website, status, notes)
VENDORS = [
    ("Salesforce", "https://www.salesforce.com", "active", "Sales Cloud, Tableau and Slack under one agreement."),
    ("HubSpot", "https://www.hubspot.com", "active", ""),
    ("Contentful", "https://www.contentful.com", "active", ""),
    ("Vercel", "https://vercel.com", "active", ""),
    ("Google", "https://about.google", "active", "Analytics, Tag Manager, Ads, Looker Studio, YouTube, Drive."),
    ("OneTrust", "https://www.onetrust.com", "active", ""),
    ("Twilio", "https://www.twilio.com", "active", "Segment and SendGrid."),
    ("Snowflake", "https://www.snowflake.com", "active", ""),
    ("Microsoft", "https://www.microsoft.com", "active", "Microsoft 365 (SharePoint) and Microsoft Advertising."),
    ("LinkedIn", "https://www.linkedin.com", "active", ""),
    ("Meta", "https://about.meta.com", "active", ""),
    ("The Trade Desk", "https://www.thetradedesk.com", "active", ""),
    ("X Corp.", "https://x.com", "active", ""),
    ("Hootsuite", "https://www.hootsuite.com", "active", ""),
    ("Bynder", "https://www.bynder.com", "active", ""),
    ("Zoom", "https://zoom.us", "active", ""),
    ("Cvent", "https://www.cvent.com", "active", ""),
    ("Qualtrics", "https://www.qualtrics.com", "active", ""),
    ("Drift", "https://www.drift.com", "acquired", "Acquired by Salesloft; renewals are now signed with Salesloft."),
    ("Salesloft", "https://www.salesloft.com", "active", ""),
    ("Demandbase", "https://www.demandbase.com", "active", ""),
    ("Semrush", "https://www.semrush.com", "active", ""),
    ("Optimizely", "https://www.optimizely.com", "active", ""),
    ("Workato", "https://www.workato.com", "active", ""),
    ("Oracle", "https://www.oracle.com", "active", "NetSuite."),
    ("Zendesk", "https://www.zendesk.com", "active", ""),
    ("Shopify", "https://www.shopify.com", "active", ""),
    ("Gong", "https://www.gong.io", "active", ""),
    ("Asana", "https://asana.com", "active", ""),
    ("Zapier", "https://zapier.com", "active", ""),
    ("Canva", "https://www.canva.com", "active", ""),
    ("Vidyard", "https://www.vidyard.com", "active", ""),
    ("Meltwater", "https://www.meltwater.com", "active", ""),
    ("Cision", "https://www.cision.com", "active", ""),
    ("Adobe", "https://www.adobe.com", "active", "Marketo Engage (retired)."),
    ("ReviewRadar", "", "defunct",
     "Shut down its service this year; the widget keeps working until their servers are switched off."),
    ("Clearbit", "https://clearbit.com", "acquired", "Acquired by HubSpot; now sold as Breeze Intelligence."),
    ("Dreamdata", "https://dreamdata.io", "active", ""),
    ("Intuit Mailchimp", "https://mailchimp.com", "active", ""),
    ("Impartner", "https://impartner.com", "active", ""),
    ("Atlassian", "https://www.atlassian.com", "active", ""),
    ("Aha! Labs", "https://www.aha.io", "active", ""),
]

# Data categories, short names → the built-in keys.
DATA = {
    "contact": "user.contact", "name": "user.name", "id": "user.unique_id", "behavior": "user.behavior",
    "demographic": "user.demographic", "location": "user.location", "financial": "user.financial",
    "cookies": "user.sensor", "ugc": "user.content", "ops": "system.operations",
    "aggregate": "business.aggregate", "assets": "business.content",
}


def _component(slug, name, category, vendor, *, kind="application", hosting="saas", lifecycle="active", tier=3,
               bo=None, to=None, cost=None, seats=None, renewal=None, data="", tags="", url="", description=""):
    return {
        "slug": slug, "name": name, "category": category, "vendor": vendor, "kind": kind, "hosting": hosting,
        "lifecycle": lifecycle, "tier": tier, "bo": bo, "to": to, "cost": cost, "seats": seats,
        "renewal": renewal, "data": data.split(), "tags": tags.split(), "url": url, "description": description,
    }


C = _component
WEB_CMS = "CMS & Web Experience Management"
ADS = "Search & Social Advertising"
SOCIAL = "Social Media Marketing & Monitoring"
IPAAS = "iPaaS, Data Integration & Tag Management"
EVENTS = "Events, Meetings & Webinars"

# Components -------------------------------------------------------------------------------
COMPONENTS = [
    # Core systems of record and engagement
    C("salesforce-sales-cloud", "Salesforce Sales Cloud", "CRM", "Salesforce", tier=1, bo="victor", to="julia",
      cost="186000", seats=(120, 112), renewal=140, data="contact name id financial", tags="core customer-data",
      description="System of record for accounts, contacts, opportunities and quotes. Sales and marketing share "
                  "the lead and contact objects."),
    C("hubspot-marketing-hub", "HubSpot Marketing Hub", "Marketing Automation & Campaign Management", "HubSpot",
      tier=1, bo="daniel", to="tom", cost="96000", seats=(25, 22), renewal=75,
      data="contact name id behavior demographic", tags="core email customer-data",
      description="Email campaigns, nurture programmes, lead scoring, landing pages and forms."),
    C("corporate-website", "Corporate website", WEB_CMS, None, kind="website", hosting="self_hosted", tier=1,
      bo="hannah", to="mia", data="behavior cookies contact", tags="customer-facing core",
      url=f"https://www.{DOMAIN}",
      description="The public website (Next.js), built by the web team, content from Contentful."),
    C("contentful", "Contentful", WEB_CMS, "Contentful", tier=1, bo="hannah", to="mia", cost="42000",
      seats=(20, 14), renewal=200, data="assets", description="Headless CMS for the website and product pages."),
    C("vercel", "Vercel (web hosting)", WEB_CMS, "Vercel", kind="other", tier=1, bo="grace", to="mia",
      cost="18000", renewal=260, data="ops", description="Hosts the website and its product database."),
    C("product-database", "Product database", "Data Warehouses & Databases", None, kind="database",
      hosting="self_hosted", tier=1, bo="elena", to="mia", data="assets ops",
      description="PostgreSQL database of products, specifications and spare parts; feeds the website and "
                  "the parts store."),
    C("shopify-parts-store", "Shopify Plus parts store", "Ecommerce Platforms & Carts", "Shopify", tier=1,
      bo="ben", to="mia", cost="28800", renewal=95, data="contact name financial behavior location",
      tags="customer-facing", url=f"https://parts.{DOMAIN}",
      description="Web store for spare parts and calibration kits."),
    # Analytics, tags, consent, data
    C("google-analytics-4", "Google Analytics 4", "Mobile & Web Analytics", "Google", tier=2, bo="ethan",
      to="chloe", data="behavior id cookies location", tags="analytics"),
    C("google-tag-manager", "Google Tag Manager", IPAAS, "Google", tier=2, bo="daniel", to="jonas",
      data="cookies id behavior", tags="analytics paid-media",
      description="Fires analytics and advertising tags on the website, after consent."),
    C("onetrust-consent", "OneTrust Cookie Consent", "Governance, Compliance & Privacy", "OneTrust", tier=1,
      bo="marcus", to="mia", cost="24000", renewal=30, data="cookies id", tags="gdpr customer-facing",
      description="Cookie banner and consent records for the website and the parts store."),
    C("segment", "Segment", "Customer Data Platforms", "Twilio", tier=1, bo="daniel", to="chloe", cost="60000",
      renewal=170, data="contact id behavior demographic", tags="customer-data",
      description="Customer data platform: collects events from the website, the store and HubSpot, builds "
                  "audiences and loads the warehouse."),
    C("snowflake", "Snowflake (marketing data)", "Data Warehouses & Databases", "Snowflake", kind="database",
      tier=1, bo="arjun", to="felix", cost="84000", renewal=310, data="contact id behavior financial aggregate",
      tags="customer-data analytics", description="Data warehouse for marketing, sales and web store data."),
    C("tableau", "Tableau", "Business Intelligence & Data Science", "Salesforce", tier=2, bo="arjun", to="felix",
      cost="38000", seats=(60, 41), renewal=140, data="aggregate", tags="analytics",
      description="Pipeline, revenue and partner reports for management."),
    C("looker-studio", "Looker Studio", "Dashboards & Data Visualization", "Google", tier=3, to="felix",
      data="aggregate", tags="analytics",
      description="Free dashboards analysts built on GA4 and ads data. Nobody in marketing has claimed them."),
    C("dreamdata", "Dreamdata attribution", "Marketing Analytics, Performance & Attribution", "Dreamdata",
      lifecycle="pilot", tier=3, bo="ethan", to="chloe", cost="24000", renewal=45, data="behavior id aggregate",
      tags="analytics", description="B2B multi-touch attribution, in a six-month pilot."),
    C("clearbit", "Clearbit enrichment", "Audience & Marketing Data", "Clearbit", tier=3, bo="daniel", to="tom",
      cost="18000", renewal=60, data="demographic contact",
      description="Fills in company size, industry and role on HubSpot contacts."),
    C("workato", "Workato", IPAAS, "Workato", kind="integration_platform", tier=1, bo="grace", to="kevin",
      cost="65000", renewal=220, data="contact financial ops", tags="core integration",
      description="Integration platform: CRM, ERP, support desk, events and the warehouse."),
    C("zapier", "Zapier", IPAAS, "Zapier", kind="integration_platform", hosting="shadow_it", tier=3, bo="amara",
      cost="600", data="contact", tags="integration",
      description="Set up by the social team to post form leads into Slack and a Google Sheet; IT found it "
                  "on an expense report."),
    # Advertising
    C("google-ads", "Google Ads", ADS, "Google", tier=2, bo="lucas", to="jonas", data="id behavior",
      tags="paid-media", description="Search and YouTube campaigns. Media spend is budgeted separately."),
    C("microsoft-advertising", "Microsoft Advertising", ADS, "Microsoft", tier=3, bo="lucas", to="jonas",
      data="id behavior", tags="paid-media"),
    C("linkedin-campaign-manager", "LinkedIn Campaign Manager", ADS, "LinkedIn", tier=2, bo="lucas", to="jonas",
      data="id contact", tags="paid-media abm"),
    C("meta-ads-manager", "Meta Ads Manager", ADS, "Meta", tier=3, bo="lucas", to="jonas", data="id behavior",
      tags="paid-media"),
    C("the-trade-desk", "The Trade Desk", "Display & Programmatic Advertising", "The Trade Desk", tier=3,
      bo="lucas", to="jonas", cost="30000", renewal=120, data="id behavior", tags="paid-media",
      description="Programmatic display for trade-show season."),
    C("demandbase", "Demandbase One", "Account-Based Marketing", "Demandbase", tier=2, bo="noor", to="kevin",
      cost="72000", seats=(15, 9), renewal=50, data="id behavior contact", tags="abm",
      description="Target account lists, intent data and account-based advertising."),
    # Social accounts and social tools
    C("linkedin-company-page", "LinkedIn company page", SOCIAL, "LinkedIn", kind="social_account", tier=2,
      bo="amara", to="samuel", data="assets", tags="social customer-facing",
      description="Company page; admin rights are held by Marketing and PR, the login recovery by IT."),
    C("instagram-account", "Instagram @kestrel.instruments", SOCIAL, "Meta", kind="social_account", tier=3,
      bo="amara", to="samuel", data="assets", tags="social customer-facing"),
    C("x-account", "X account @KestrelInst", SOCIAL, "X Corp.", kind="social_account", tier=4, bo="zoe",
      to="samuel", data="assets", tags="social customer-facing"),
    C("youtube-channel", "YouTube channel", SOCIAL, "Google", kind="social_account", tier=3, bo="hannah",
      to="samuel", data="assets", tags="social customer-facing video"),
    C("hootsuite", "Hootsuite", SOCIAL, "Hootsuite", tier=3, bo="amara", to="jonas", cost="9600", seats=(10, 7),
      renewal=80, data="assets", tags="social", description="Schedules posts to every social account."),
    # Content, assets, documents
    C("bynder", "Bynder", "DAM & MRM", "Bynder", tier=2, bo="hannah", to="mia", cost="36000", seats=(40, 33),
      renewal=150, data="assets", description="Digital asset management: logos, product photos, brochures."),
    C("sharepoint-marketing", "SharePoint – Marketing site", "Document Storage", "Microsoft",
      kind="document_store", tier=2, bo="priya", to="samuel", data="assets contact",
      description="Marketing's shared documents, briefs and plans. Also holds event attendee lists."),
    C("google-drive-agency-share", "Google Drive (agency share)", "Document Storage", "Google",
      kind="document_store", hosting="shadow_it", tier=3, bo="sofia", data="assets contact",
      description="A personal Google Drive the demand-gen team uses to swap files with the creative agency, "
                  "including exported lead lists."),
    C("canva", "Canva Teams", "Content Marketing", "Canva", tier=4, bo="hannah", to="mia", cost="3600",
      seats=(30, 12), renewal=25, data="assets"),
    C("vidyard", "Vidyard", "Video Marketing", "Vidyard", tier=4, bo="hannah", to="greg", cost="9000",
      renewal=70, data="behavior contact", tags="video",
      description="Personalised sales videos and viewing analytics."),
    C("semrush", "Semrush", "SEO", "Semrush", tier=4, bo="hannah", to="jonas", cost="5400", seats=(5, 5),
      renewal=100, data="aggregate"),
    C("optimizely", "Optimizely Web Experimentation", "Optimization, Personalization & Testing", "Optimizely",
      tier=3, bo="sofia", to="jonas", cost="50000", renewal=190, data="behavior id",
      description="A/B tests on the website and the parts store."),
    C("reviewradar-widget", "ReviewRadar reviews widget", "Community & Reviews", "ReviewRadar", tier=4,
      bo="ben", to="jonas", cost="4800", data="ugc contact", tags="customer-facing",
      description="Shows customer reviews on product pages."),
    # Email, events, feedback, chat
    C("sendgrid", "SendGrid", "Email Marketing", "Twilio", tier=1, bo="ben", to="kevin", cost="14400",
      renewal=210, data="contact name ops", tags="email",
      description="Transactional email: order confirmations, password resets, shipping notices."),
    C("mailchimp", "Mailchimp (press newsletter)", "Email Marketing", "Intuit Mailchimp", lifecycle="sunsetting",
      tier=4, bo="zoe", cost="2400", data="contact name", tags="email",
      description="The press team's newsletter; to move into HubSpot."),
    C("zoom-webinars", "Zoom Webinars", EVENTS, "Zoom", tier=2, bo="olivia", to="samuel", cost="12000",
      seats=(5, 4), renewal=40, data="contact name behavior", tags="events",
      description="Monthly product webinars and customer training."),
    C("cvent", "Cvent", EVENTS, "Cvent", tier=3, bo="olivia", to="kevin", cost="45000", renewal=230,
      data="contact name financial", tags="events", description="Trade-show registration and the user conference."),
    C("qualtrics", "Qualtrics CX (NPS)", "Feedback & Chatbots", "Qualtrics", tier=3, bo="elena", to="kevin",
      cost="28000", renewal=160, data="contact ugc", description="Post-purchase and relationship NPS surveys."),
    C("drift", "Drift chat", "Feedback & Chatbots", "Drift", tier=3, bo="sofia", to="jonas", cost="25000",
      renewal=20, data="contact ugc behavior", tags="customer-facing",
      description="Chat on the website; routes hot leads to sales."),
    C("zendesk", "Zendesk Support", "Customer Experience, Service & Success", "Zendesk", tier=2, bo="elena",
      to="samuel", cost="30000", seats=(25, 25), renewal=180, data="contact name ugc"),
    # Sales
    C("salesloft", "Salesloft", "Sales Automation, Enablement & Intelligence", "Salesloft", tier=2, bo="victor",
      to="julia", cost="54000", seats=(45, 40), renewal=140, data="contact name behavior"),
    C("gong", "Gong", "Call Analytics & Management", "Gong", tier=3, bo="victor", to="julia", cost="48000",
      seats=(40, 36), renewal=250, data="contact ugc", description="Records and transcribes sales calls."),
    C("impartner-prm", "Impartner partner portal", "Channel, Partner & Local Marketing", "Impartner", tier=3,
      bo="victor", to="kevin", cost="26000", renewal=280, data="contact name",
      description="Deal registration and co-marketing for distributors."),
    # PR
    C("meltwater", "Meltwater", "PR", "Meltwater", tier=3, bo="zoe", to="samuel", cost="22000", seats=(6, 6),
      renewal=110, data="assets", description="Media monitoring and press contacts."),
    C("cision", "Cision PR Newswire", "PR", "Cision", tier=4, bo="omar", to="samuel", cost="15000",
      renewal=330, data="assets", description="Press release distribution."),
    # Management and finance
    C("netsuite", "NetSuite", "Budgeting & Finance", "Oracle", tier=1, bo="henrik", to="kevin", cost="110000",
      seats=(40, 38), renewal=300, data="financial contact", description="ERP: orders, invoices, budgets."),
    C("asana", "Asana (marketing projects)", "Projects & Workflow", "Asana", tier=3, bo="priya", to="samuel",
      cost="11000", seats=(35, 29), renewal=90, data="ops"),
    C("slack", "Slack", "Collaboration", "Salesforce", tier=2, bo="robert", to="samuel", cost="48000",
      seats=(400, 372), renewal=140, data="ugc ops"),
    C("jira", "Jira (web team)", "Agile & Lean Management", "Atlassian", tier=3, bo="grace", to="mia",
      cost="7200", seats=(25, 21), renewal=130, data="ops"),
    C("aha-roadmaps", "Aha! Roadmaps", "Product Management", "Aha! Labs", tier=4, bo="elena", to="ben",
      cost="9500", seats=(8, 8), renewal=65, data="ops"),
    # Retired
    C("marketo-engage", "Marketo Engage", "Marketing Automation & Campaign Management", "Adobe",
      lifecycle="retired", tier=3, bo="daniel", to="tom", data="contact name behavior", tags="legacy",
      description="Replaced by HubSpot last year. The partner report in Tableau still reads its last nightly "
                  "export."),
]


def _relation(source, target, type="data_flow", data="", mechanism="api", frequency="", description=""):
    return {"source": source, "target": target, "type": type, "data": data.split(), "mechanism": mechanism,
            "frequency": frequency, "description": description}


R = _relation
NATIVE = "native_connector"

# Relations --------------------------------------------------------------------------------
RELATIONS = [
    # The website and what it needs
    R("corporate-website", "vercel", "hosted_on", mechanism=""),
    R("product-database", "vercel", "hosted_on", mechanism=""),
    R("corporate-website", "contentful", "depends_on", "assets", "api", "real_time", "Pages and product copy."),
    R("corporate-website", "product-database", "depends_on", "assets", "api", "real_time"),
    R("corporate-website", "onetrust-consent", "depends_on", "cookies", "api", "real_time", "Cookie banner."),
    R("shopify-parts-store", "product-database", "depends_on", "assets", "api", "hourly"),
    R("shopify-parts-store", "onetrust-consent", "depends_on", "cookies", "api", "real_time"),
    R("bynder", "contentful", "data_flow", "assets", NATIVE, "on_demand", "Approved images into the CMS."),
    R("youtube-channel", "corporate-website", "data_flow", "assets", "api", "on_demand", "Embedded videos."),
    R("reviewradar-widget", "corporate-website", "data_flow", "ugc", "api", "real_time", "Review widget."),
    # Consent → tags → analytics and ads
    R("onetrust-consent", "google-tag-manager", "data_flow", "cookies", "api", "real_time",
      "Consent signals decide which tags may fire."),
    R("corporate-website", "google-tag-manager", "data_flow", "behavior cookies", "api", "real_time"),
    R("shopify-parts-store", "google-tag-manager", "data_flow", "behavior cookies financial", "api", "real_time"),
    R("google-tag-manager", "google-analytics-4", "data_flow", "behavior cookies id", "api", "real_time"),
    R("google-tag-manager", "google-ads", "data_flow", "id behavior", "api", "real_time", "Conversion tags."),
    R("google-tag-manager", "microsoft-advertising", "data_flow", "id behavior", "api", "real_time"),
    R("google-tag-manager", "linkedin-campaign-manager", "data_flow", "id behavior", "api", "real_time",
      "LinkedIn Insight tag."),
    R("google-tag-manager", "meta-ads-manager", "data_flow", "id behavior", "api", "real_time", "Meta pixel."),
    R("google-tag-manager", "the-trade-desk", "data_flow", "id behavior", "api", "real_time"),
    R("google-tag-manager", "demandbase", "data_flow", "id behavior", "api", "real_time",
      "Identifies visiting accounts."),
    R("google-analytics-4", "google-ads", "data_flow", "id behavior", NATIVE, "daily", "Audiences and goals."),
    R("google-analytics-4", "looker-studio", "data_flow", "aggregate", NATIVE, "daily"),
    R("google-ads", "looker-studio", "data_flow", "aggregate", NATIVE, "daily"),
    R("google-analytics-4", "snowflake", "data_flow", "behavior id", "file", "daily", "Daily event export."),
    R("corporate-website", "optimizely", "data_flow", "behavior id", "api", "real_time"),
    R("optimizely", "google-analytics-4", "data_flow", "behavior", NATIVE, "real_time", "Experiment variants."),
    # CRM ↔ automation → CDP → warehouse → BI
    R("hubspot-marketing-hub", "salesforce-sales-cloud", "data_flow", "contact name behavior", NATIVE,
      "real_time", "Marketing-qualified leads and activity."),
    R("salesforce-sales-cloud", "hubspot-marketing-hub", "data_flow", "contact name id", NATIVE, "real_time",
      "Account owners, lifecycle stages and opportunities."),
    R("corporate-website", "hubspot-marketing-hub", "data_flow", "contact name", "api", "real_time",
      "Form submissions."),
    R("corporate-website", "segment", "data_flow", "behavior id", "api", "real_time"),
    R("shopify-parts-store", "segment", "data_flow", "behavior id contact financial", "webhook", "real_time"),
    R("hubspot-marketing-hub", "segment", "data_flow", "contact behavior", "api", "hourly"),
    R("segment", "snowflake", "data_flow", "contact id behavior", NATIVE, "hourly"),
    R("segment", "google-ads", "data_flow", "id", NATIVE, "daily", "Customer-match audiences."),
    R("segment", "meta-ads-manager", "data_flow", "id", NATIVE, "daily", "Custom audiences."),
    R("segment", "hubspot-marketing-hub", "data_flow", "behavior", NATIVE, "hourly", "Product-interest traits."),
    R("snowflake", "tableau", "data_flow", "aggregate", NATIVE, "daily"),
    R("marketo-engage", "tableau", "data_flow", "contact aggregate", "file", "daily",
      "The partner report still reads Marketo's last nightly export."),
    R("clearbit", "hubspot-marketing-hub", "data_flow", "demographic contact", NATIVE, "real_time"),
    R("salesforce-sales-cloud", "dreamdata", "data_flow", "contact id", "api", "daily"),
    R("hubspot-marketing-hub", "dreamdata", "data_flow", "behavior id", "api", "daily"),
    R("dreamdata", "snowflake", "data_flow", "aggregate", "file", "daily"),
    # Integration platform hub
    R("salesforce-sales-cloud", "workato", "data_flow", "contact financial", "api", "real_time",
      "Closed-won orders."),
    R("workato", "netsuite", "data_flow", "financial contact", "api", "real_time", "Orders and customers."),
    R("shopify-parts-store", "workato", "data_flow", "financial contact", "webhook", "real_time"),
    R("workato", "snowflake", "data_flow", "contact financial", "api", "hourly"),
    R("zendesk", "workato", "data_flow", "contact ugc", "webhook", "real_time"),
    R("workato", "salesforce-sales-cloud", "data_flow", "ugc", "api", "real_time", "Support cases on accounts."),
    R("cvent", "workato", "data_flow", "contact name", "api", "daily", "Event registrations."),
    R("workato", "hubspot-marketing-hub", "data_flow", "contact name", "api", "daily",
      "Event attendees into nurture programmes."),
    R("workato", "slack", "data_flow", "contact", "api", "real_time", "Big-deal alerts."),
    R("netsuite", "workato", "data_flow", "financial", "api", "daily", "Invoices and payment status."),
    # Sales tools
    R("salesloft", "salesforce-sales-cloud", "data_flow", "contact behavior", NATIVE, "real_time"),
    R("salesforce-sales-cloud", "salesloft", "data_flow", "contact name", NATIVE, "real_time"),
    R("gong", "salesforce-sales-cloud", "data_flow", "ugc", NATIVE, "daily", "Call summaries."),
    R("impartner-prm", "salesforce-sales-cloud", "data_flow", "contact name", "api", "hourly",
      "Deal registrations."),
    R("salesforce-sales-cloud", "demandbase", "data_flow", "contact", "api", "daily", "Account lists."),
    R("demandbase", "linkedin-campaign-manager", "data_flow", "id", "api", "daily", "Account audiences."),
    R("demandbase", "hubspot-marketing-hub", "data_flow", "behavior", "api", "daily", "Intent signals."),
    R("salesforce-sales-cloud", "qualtrics", "data_flow", "contact", "api", "weekly", "NPS survey recipients."),
    R("qualtrics", "snowflake", "data_flow", "ugc aggregate", "api", "daily"),
    # Events, chat, video, email
    R("zoom-webinars", "hubspot-marketing-hub", "data_flow", "contact name behavior", NATIVE, "real_time",
      "Registrants and attendance."),
    R("drift", "hubspot-marketing-hub", "data_flow", "contact ugc", NATIVE, "real_time"),
    R("corporate-website", "drift", "data_flow", "behavior contact", "api", "real_time"),
    R("vidyard", "hubspot-marketing-hub", "data_flow", "behavior", NATIVE, "real_time", "Video views."),
    R("shopify-parts-store", "sendgrid", "data_flow", "contact name", "api", "real_time",
      "Order and shipping emails."),
    R("sharepoint-marketing", "mailchimp", "data_flow", "contact name", "manual", "monthly",
      "Press list exported by hand."),
    # Social publishing
    R("bynder", "hootsuite", "data_flow", "assets", NATIVE, "on_demand"),
    R("hootsuite", "linkedin-company-page", "data_flow", "assets", "api", "on_demand"),
    R("hootsuite", "instagram-account", "data_flow", "assets", "api", "on_demand"),
    R("hootsuite", "x-account", "data_flow", "assets", "api", "on_demand"),
    R("hootsuite", "youtube-channel", "data_flow", "assets", "api", "on_demand"),
    # Shadow IT
    R("hubspot-marketing-hub", "zapier", "data_flow", "contact", "webhook", "real_time", "New form leads."),
    R("zapier", "slack", "data_flow", "contact", "webhook", "real_time"),
    R("zapier", "google-drive-agency-share", "data_flow", "contact", "api", "real_time",
      "Leads appended to a shared sheet."),
    # Work management
    R("asana", "slack", "data_flow", "ops", NATIVE, "real_time"),
    R("jira", "slack", "data_flow", "ops", NATIVE, "real_time"),
    R("aha-roadmaps", "jira", "data_flow", "ops", NATIVE, "real_time", "Features become epics."),
]

# RACI -------------------------------------------------------------------------------------
# A holder is a person key, or "dept:<key>"; special values "bo" and "to" are the component's
# owners, "bo_dept" and "to_dept" their departments.
RACI_TEMPLATE = {
    "selection": [("A", "bo"), ("R", "bo_dept"), ("C", "dept:it")],
    "budget": [("A", "bo_dept"), ("R", "bo")],
    "contract": [("A", "dept:procurement"), ("R", "paul"), ("C", "dept:legal")],
    "configuration": [("A", "to"), ("R", "to_dept")],
    "content": [("A", "bo"), ("R", "bo_dept")],
    "data_privacy": [("A", "marcus"), ("R", "to")],
    "security": [("A", "lena"), ("R", "to")],
    "integration": [("A", "grace"), ("R", "kevin")],
    "support": [("A", "samuel"), ("R", "to")],
    "continuity": [("A", "robert"), ("R", "to"), ("C", "bo")],
}
# Component slug → {activity: entries replacing the template's}.
RACI = {
    "salesforce-sales-cloud": {"configuration": [("A", "julia"), ("R", "dept:sales"), ("C", "kevin")]},
    "hubspot-marketing-hub": {"content": [("A", "daniel"), ("R", "tom"), ("R", "dept:marketing")]},
    # Contested: Marketing and IT both hold the website's configuration.
    "corporate-website": {"configuration": [("A", "dept:marketing"), ("A", "dept:it"), ("R", "mia"),
                                            ("R", "jonas")]},
    "contentful": {},
    "google-analytics-4": {},
    "google-tag-manager": {"configuration": [("A", "jonas"), ("R", "jonas"), ("C", "marcus"), ("I", "dept:it")]},
    "onetrust-consent": {"content": [("A", "marcus"), ("R", "dept:legal"), ("C", "dept:marketing")]},
    # Gap: nobody is Accountable for the CDP's continuity.
    "segment": {"continuity": [("R", "chloe"), ("C", "daniel"), ("I", "dept:it")]},
    "snowflake": {"configuration": [("A", "arjun"), ("R", "felix"), ("R", "chloe")]},
    "workato": {"selection": [("A", "grace"), ("R", "dept:it"), ("C", "dept:procurement")]},
    # Contested: Marketing and PR both claim the LinkedIn page's content.
    "linkedin-company-page": {"content": [("A", "dept:marketing"), ("A", "dept:pr"), ("R", "amara"),
                                          ("R", "omar")]},
    # Gap: nobody is Accountable for data privacy in the SharePoint marketing site.
    "sharepoint-marketing": {"data_privacy": [("R", "samuel"), ("C", "dept:legal")]},
    "shopify-parts-store": {"content": [("A", "ben"), ("R", "dept:product"), ("C", "dept:marketing")]},
}

# Logins -----------------------------------------------------------------------------------
# (username, password, role, person key) — the passwords are printed by ``steward demo``.
LOGINS = [
    ("admin", "steward-admin", "admin", "priya"),
    ("editor", "steward-editor", "editor", "kevin"),
    ("viewer", "steward-viewer", "viewer", "isabel"),
]


@dataclass
class DemoResult:
    """What ``load_demo`` created, by model name (nothing when everything was already there)."""

    created: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.created.values())

    def describe(self) -> str:
        if not self.total:
            return "nothing new: the demo company was already complete"
        return ", ".join(f"{n} {name}" for name, n in self.created.items() if n)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    person: str
    created: bool
    password_matches: bool


Progress = Callable[[str], None]


def step_count() -> int:
    """How many times ``load_demo`` calls its ``progress`` callback."""
    return 1 + len(DEPARTMENTS) + len(PEOPLE) + len(VENDORS) + len(COMPONENTS) + len(RELATIONS) + len(RACI)


def demo_loaded(actor: str = DEMO_ACTOR) -> bool:
    """True once ``load_demo`` has created the demo's components (the audit log remembers it)."""
    from django.contrib.contenttypes.models import ContentType

    return AuditEntry.objects.filter(
        source=SYSTEM, actor_name=actor, action="create",
        content_type=ContentType.objects.get_for_model(Component),
    ).exists()


class _Loader:
    def __init__(self, actor, progress: Progress | None):
        self.actor = actor
        self.progress = progress or (lambda label: None)
        self.result = DemoResult()
        self.departments: dict[str, Department] = {}
        self.people: dict[str, Person] = {}
        self.vendors: dict[str, Vendor] = {}
        self.components: dict[str, Component] = {}
        self.data_categories: dict[str, DataCategory] = {}
        self.categories: dict[str, Category] = {}

    def created(self, label: str) -> None:
        self.result.created[label] += 1

    # Reference data: the taxonomy and the data categories (seeded by migrations; recreated here
    # after ``steward demo --reset`` has flushed the database).
    def reference_data(self) -> None:
        categories = {c.slug: c for c in Category.objects.all()}
        for group_name, children in LANDSCAPE.items():
            group = categories.get(slugify(group_name))
            if group is None:
                group = catalog_services.category_create(actor=self.actor, source=SYSTEM, data={
                    "name": group_name, "slug": slugify(group_name)})
                categories[group.slug] = group
                self.created("categories")
            for name in children:
                if slugify(name) not in categories:
                    categories[slugify(name)] = catalog_services.category_create(
                        actor=self.actor, source=SYSTEM, data={"name": name, "slug": slugify(name), "parent": group})
                    self.created("categories")
        existing = {d.key: d for d in DataCategory.objects.all()}
        for key, name, personal in DATA_CATEGORIES:
            if key not in existing:
                existing[key] = object_create(DataCategory, actor=self.actor, source=SYSTEM,
                                              data={"key": key, "name": name, "is_personal": personal})
                self.created("data categories")
        self.data_categories = existing
        self.categories = categories
        self.progress("Taxonomy and data categories")

    def load_departments(self) -> None:
        existing = {d.slug: d for d in Department.objects.all()}
        for key, name, kind, description in DEPARTMENTS:
            department = existing.get(slugify(name))
            if department is None:
                department = org_services.department_create(actor=self.actor, source=SYSTEM, data={
                    "name": name, "slug": slugify(name), "kind": kind, "description": description})
                self.created("departments")
            self.departments[key] = department
            self.progress(f"Department {name}")

    def load_people(self) -> None:
        existing = {p.email: p for p in Person.objects.exclude(email="")}
        for key, name, department, title, archetype, manager, available in PEOPLE:
            email = f"{name.lower().replace(' ', '.').replace(chr(39), '')}@{DOMAIN}"
            person = existing.get(email)
            if person is None:
                person = org_services.person_create(actor=self.actor, source=SYSTEM, data={
                    "name": name, "email": email, "department": self.departments[department], "title": title,
                    "archetype": archetype, "manager": self.people.get(manager) if manager else None,
                    "available": available,
                })
                self.created("people")
            self.people[key] = person
            self.progress(f"Person {name}")

    def load_vendors(self) -> None:
        existing = {v.name.lower(): v for v in Vendor.objects.all()}
        for name, website, status, notes in VENDORS:
            vendor = existing.get(name.lower())
            if vendor is None:
                vendor = catalog_services.vendor_create(actor=self.actor, source=SYSTEM, data={
                    "name": name, "website": website, "status": status, "notes": notes})
                self.created("vendors")
            self.vendors[name] = vendor
            self.progress(f"Vendor {name}")

    def load_components(self) -> None:
        existing = {c.slug: c for c in Component.objects.all()}
        today = date.today()
        for spec in COMPONENTS:
            component = existing.get(spec["slug"])
            if component is None:
                seats = spec["seats"] or (None, None)
                component = catalog_services.component_create(actor=self.actor, source=SYSTEM, data={
                    "name": spec["name"], "slug": spec["slug"], "kind": spec["kind"],
                    "category": self.categories[slugify(spec["category"])],
                    "vendor": self.vendors[spec["vendor"]] if spec["vendor"] else None,
                    "hosting": spec["hosting"], "lifecycle": spec["lifecycle"], "tier": spec["tier"],
                    "business_owner": self.people[spec["bo"]] if spec["bo"] else None,
                    "technical_owner": self.people[spec["to"]] if spec["to"] else None,
                    "description": spec["description"], "url": spec["url"],
                    "seats_purchased": seats[0], "seats_used": seats[1],
                    "annual_cost": Decimal(spec["cost"]) if spec["cost"] else None,
                    "renewal_date": today + timedelta(days=spec["renewal"]) if spec["renewal"] else None,
                    "tags": spec["tags"],
                    "data_categories": [self.data_categories[DATA[d]] for d in spec["data"]],
                })
                self.created("components")
            self.components[spec["slug"]] = component
            self.progress(f"Component {spec['name']}")

    def load_relations(self) -> None:
        existing = set(Relation.objects.values_list("source_id", "target_id", "type"))
        for spec in RELATIONS:
            source, target = self.components[spec["source"]], self.components[spec["target"]]
            if (source.pk, target.pk, spec["type"]) not in existing:
                catalog_services.relation_create(actor=self.actor, source=SYSTEM, data={
                    "source": source, "target": target, "type": spec["type"], "mechanism": spec["mechanism"],
                    "frequency": spec["frequency"], "description": spec["description"],
                    "data_categories": [self.data_categories[DATA[d]] for d in spec["data"]],
                })
                existing.add((source.pk, target.pk, spec["type"]))
                self.created("relations")
            self.progress(f"Relation {source} → {target}")

    def _holder(self, ref: str, component: Component):
        spec_owner = {"bo": component.business_owner, "to": component.technical_owner}
        if ref in spec_owner:
            return spec_owner[ref]
        if ref in ("bo_dept", "to_dept"):
            owner = spec_owner[ref[:2]]
            return owner.department if owner is not None else None
        if ref.startswith("dept:"):
            return self.departments[ref[5:]]
        return self.people[ref]

    def raci_cells(self, slug: str) -> list[tuple[str, str, object]]:
        component = self.components[slug]
        cells, seen = [], set()
        for activity in RaciActivityChoices.values:
            for role, ref in RACI[slug].get(activity, RACI_TEMPLATE[activity]):
                holder = self._holder(ref, component)
                key = (activity, role, type(holder).__name__, getattr(holder, "pk", None))
                if holder is None or key in seen:
                    continue
                seen.add(key)
                cells.append((activity, role, holder))
        return cells

    def load_raci(self) -> None:
        existing = {
            (a.component_id, a.activity, a.role, a.department_id, a.person_id)
            for a in RaciAssignment.objects.filter(component__slug__in=list(RACI))
        }
        for slug in RACI:
            component = self.components[slug]
            for activity, role, holder in self.raci_cells(slug):
                is_department = isinstance(holder, Department)
                key = (component.pk, activity, role, holder.pk if is_department else None,
                       None if is_department else holder.pk)
                if key in existing:
                    continue
                catalog_services.raci_create(actor=self.actor, source=SYSTEM, data={
                    "component": component, "activity": activity, "role": role,
                    ("department" if is_department else "person"): holder,
                })
                self.created("RACI assignments")
            self.progress(f"RACI of {component}")


@transaction.atomic
def load_demo(actor=DEMO_ACTOR, *, progress: Progress | None = None) -> DemoResult:
    """Create the demo company through the services, in one transaction; only what is missing.

    ``progress(label)`` is called after each step (``step_count()`` steps in all).
    """
    loader = _Loader(actor, progress)
    loader.reference_data()
    loader.load_departments()
    loader.load_people()
    loader.load_vendors()
    loader.load_components()
    loader.load_relations()
    loader.load_raci()
    return loader.result


@transaction.atomic
def ensure_demo_logins(actor=DEMO_ACTOR) -> list[DemoLogin]:
    """The demo's admin, editor and viewer accounts, created if missing and linked to demo people.

    Existing accounts are left alone (``password_matches`` tells whether the printed password
    still works).
    """
    User = get_user_model()
    logins = []
    for username, password, role, person_key in LOGINS:
        person_name = next(p[1] for p in PEOPLE if p[0] == person_key)
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            person = Person.objects.filter(name=person_name, user__isnull=True).first()
            user = org_services.user_create(actor=actor, username=username, password=password, role=role,
                                            email=f"{username}@{DOMAIN}", person=person, source=SYSTEM)
        logins.append(DemoLogin(username, password, role, person_name, created, user.check_password(password)))
    return logins
