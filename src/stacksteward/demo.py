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

Intake shows the joint process between Marketing and the delivering side: seven capabilities
(IT, Data & Analytics and Marketing operations; one offered partly, one not at all), a dozen
requests in every state with the delivering side's answers, questions and answers (some open,
some marked answered), a roadmap with two iterations and a milestone, and a scored backlog with
dependencies, a manual override and one item bumped to the next iteration (so a schedule change
and its notifications exist). Three landing pages were delivered weeks ago, so a new landing-page
request is warned that the observed median lead time is longer than the standard one. The intake
steps act through the demo logins where a person of the company would (Kevin O'Brien answers for
IT, Tom Becker files and answers, Isabel Ortega and Priya Nair ask), otherwise as ``demo``. The
services stamp today's date, so the history's filing and delivery dates are moved into the past
afterwards.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from stacksteward.catalog import services as catalog_services
from stacksteward.catalog.choices import DATA_CATEGORIES, RaciActivityChoices
from stacksteward.catalog.models import Category, Component, DataCategory, RaciAssignment, Relation, Vendor
from stacksteward.catalog.taxonomy import LANDSCAPE
from stacksteward.core import questions
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.models import AuditEntry
from stacksteward.core.services import object_create
from stacksteward.intake import permissions as intake_perms
from stacksteward.intake import services as intake_services
from stacksteward.intake.models import BacklogItem, Capability, Iteration, Request, RequestTransition, Roadmap
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

# Intake: capabilities ----------------------------------------------------------------------
# (slug, name, department key, standard lead time in working days, offering, description, can do, cannot do)
CAPABILITIES = [
    ("new-landing-page", "New landing page", "it", 10, "full",
     "A page on www built by the web team from the approved page templates.",
     "Pages from the templates (hero, form, proof, FAQ), a HubSpot form, tracking and consent set up, "
     "copy and images you supply.",
     "No new page templates or custom JavaScript in this lead time (ask for a new template as its own request); "
     "no pages on other domains."),
    ("new-integration", "New integration between two tools", "it", 25, "partial",
     "Moving data between two tools through Workato, monitored by the service desk.",
     "Tools with an API and a Workato connector; field mapping, error alerts, a runbook.",
     "No point-to-point scripts, no tools that have not passed the security review, and no real-time sync "
     "into NetSuite (orders are synced hourly at best)."),
    ("evaluate-new-tool", "Evaluate a new tool", "it", 30, "full",
     "A structured evaluation with Procurement and Legal: requirements, a shortlist, trials, security review.",
     "Up to three vendors, scored against your requirements; security and privacy review; SSO check.",
     "We do not sign contracts (Procurement does) and do not run trials with real customer data."),
    ("new-report", "New report or dashboard", "data", 15, "full",
     "A Tableau report on the warehouse, with the definitions written down.",
     "Reports on data that is already in Snowflake; daily refresh; a metric glossary entry per new measure.",
     "No reports straight on the source tools' APIs, no hourly refresh."),
    ("data-export", "Data export or audience list", "data", 5, "partial",
     "Lists and extracts from the warehouse for campaigns and partners.",
     "Aggregated data, and lists of contacts who agreed to the use, delivered to a managed tool.",
     "No personal data to personal drives or to partners without a data processing agreement; "
     "no raw event data."),
    ("email-programme", "Email programme or nurture set-up", "marketing", 8, "full",
     "Marketing operations builds the programme in HubSpot: lists, e-mails, workflow, reporting.",
     "Up to six e-mails, branching on engagement, lead-scoring updates, a results dashboard.",
     "No SMS, no sending from other tools, no purchased lists."),
    ("custom-web-app", "Custom web application", "it", 60, "none",
     "A web application built and run in house.",
     "We help you find a SaaS product or brief an agency, and review its security and integration.",
     "We do not build or run custom web applications: there is no team to maintain them."),
]

# Intake: requests --------------------------------------------------------------------------
# Each request is filed, answered and moved through its workflow by the people named here (a person with
# a demo login acts as that login, anyone else as ``demo``). ``days`` are relative to today.


def _ask(asker, to, text, answer=None, closed=False):
    """A question: asked by a person key, to a person key or "dept:<key>", answered by (person key, text)."""
    return {"asker": asker, "to": to, "text": text, "answer": answer, "closed": closed}


REQUESTS = [
    {"title": "Landing page for the Hannover Messe demo bookings", "requester": "sofia",
     "capability": "new-landing-page", "cost": ("4000", "week"), "needed_in": 20,
     "objective": "Visitors of our trade-show campaign can book a demo slot at our booth.",
     "why": "Booth demos are where trade-show leads become opportunities; last year bookings went through "
            "e-mail and a third of the requests were answered too late.",
     "kpis": "120 booked booth demos; 30 % of them from target accounts.",
     "components": ["corporate-website", "hubspot-marketing-hub"],
     "response": ("kevin", "Trade-show template with the HubSpot meetings form; UTM per channel.", "4", "2400",
                  "feasible", ""),
     "steps": [("accepted", ""), ("planned", ""), ("in_progress", ""), ("delivered", ""),
               ("measured", "138 demos booked, 41 % from target accounts: above target.")],
     "history": (95, 60)},
    {"title": "Calibration-kit promotion page", "requester": "hannah", "capability": "new-landing-page",
     "cost": ("1500", "week"), "needed_in": 20,
     "objective": "A page that explains the calibration kits and links to the parts store.",
     "why": "Customers calibrate too rarely and then blame the sensors; the kits pay for themselves.",
     "kpis": "+25 % calibration-kit orders in the parts store within 8 weeks.",
     "components": ["corporate-website", "shopify-parts-store"],
     "response": ("kevin", "Product template with a parts-store link per kit.", "3", "1800", "feasible", ""),
     "steps": [("accepted", ""), ("planned", ""), ("in_progress", ""), ("delivered", "")],
     "history": (70, 40)},
    {"title": "Registration page for the “Sensor basics” webinar series", "requester": "olivia",
     "capability": "new-landing-page", "cost": ("900", "week"), "needed_in": 20,
     "objective": "One page where plant engineers register for any session of the series.",
     "why": "Registrations are our main source of new contacts from smaller plants.",
     "kpis": "400 registrations per webinar.",
     "components": ["corporate-website", "zoom-webinars", "hubspot-marketing-hub"],
     "response": ("kevin", "Event template; sessions from a HubSpot list; Zoom registration by API.", "4", "2400",
                  "feasible", ""),
     "steps": [("accepted", ""), ("planned", ""), ("in_progress", ""), ("delivered", "")],
     "history": (50, 20)},
    {"title": "Launch page for the PX-9 pressure sensor", "requester": "tom", "capability": "new-landing-page",
     "cost": ("6000", "week"), "needed_in": 21,
     "objective": "A launch page with the PX-9 specifications, a gated spec sheet and a meeting booking.",
     "why": "The PX-9 launches at the next trade show; without a page the launch e-mails and ads have nowhere "
            "to send people and sales has no leads to follow up.",
     "kpis": "300 spec-sheet downloads and 60 sales meetings in the first month.",
     "components": ["corporate-website", "contentful", "hubspot-marketing-hub"],
     "questions": [_ask("kevin", "tom",
                        "Do you need the interactive 3D viewer from the agency's pitch, or is a product video "
                        "enough? The viewer is custom JavaScript, which the landing-page capability does not "
                        "include.",
                        ("tom", "A video is fine for the launch; the viewer can come later as its own request."),
                        closed=True)],
     "response": ("kevin", "Product-launch template, spec sheet gated by a HubSpot form, product video instead of "
                           "the 3D viewer.", "5", "3000", "feasible", ""),
     "steps": [("accepted", "")]},
    {"title": "Sync Zoom webinar attendees into HubSpot", "requester": "tom", "capability": "new-integration",
     "cost": ("2000", "month"), "needed_in": 60,
     "objective": "Webinar attendees and what they did appear on their HubSpot contact within the hour.",
     "why": "Today Olivia exports a CSV after each webinar and follow-ups go out two days late, when interest "
            "has cooled.",
     "kpis": "Attendees in HubSpot within 1 hour; follow-up e-mails sent the same day.",
     "components": ["zoom-webinars", "hubspot-marketing-hub", "workato"],
     "questions": [
         _ask("kevin", "tom", "Which fields must reach HubSpot: attendance only, or also minutes watched, poll "
                              "answers and the Q&A text?",
              ("tom", "Attendance, minutes watched and poll answers. The Q&A text would be nice but is not "
                      "needed.")),
         _ask("kevin", "dept:marketing", "Who records the attendees' consent: Zoom's registration form or the "
                                         "HubSpot form on our page?"),
     ],
     "steps": [("clarifying", "Two questions before we can size it.")]},
    {"title": "Distributor lead list for the co-marketing campaign", "requester": "noor",
     "capability": "data-export", "cost": ("2500", "week"), "needed_in": 14,
     "objective": "Each distributor gets the list of its region's engaged accounts every week.",
     "why": "Distributors follow up faster than our field sales in small plants; without lists they cold-call.",
     "kpis": "Lists delivered to 17 distributors; 5 % of the leads become opportunities.",
     "components": ["snowflake", "salesforce-sales-cloud", "impartner-prm"],
     "questions": [_ask("priya", "isabel", "Do all 17 distributors have a signed data processing agreement?",
                        ("isabel", "14 do. Nordtech, Axion and Baltic Sensors have not signed yet: leave them out "
                                   "until they do."), closed=True)],
     "response": ("data", "A weekly list per distributor from Snowflake into the Impartner portal.", "3", "",
                  "partly", "Only contacts who agreed to partner sharing, and only for the 14 distributors with a "
                            "signed data processing agreement."),
     "steps": [("accepted", "")]},
    {"title": "Pipeline-by-campaign dashboard", "requester": "ethan", "capability": "new-report",
     "cost": ("1200", "week"), "needed_in": 40,
     "objective": "One dashboard showing the pipeline each campaign created, by region and product line.",
     "why": "The monthly marketing review is built from three spreadsheets and nobody trusts the totals.",
     "kpis": "The monthly review uses the dashboard instead of the spreadsheets.",
     "components": ["tableau", "snowflake", "salesforce-sales-cloud"],
     "response": ("data", "Tableau dashboard on the Snowflake campaign tables, refreshed daily.", "6", "",
                  "feasible", ""),
     "steps": [("accepted", ""), ("planned", "Planned with the iteration after next.")]},
    {"title": "Demandbase intent scores on HubSpot companies", "requester": "noor", "capability": "new-integration",
     "cost": ("3000", "week"), "needed_in": 30,
     "objective": "Sales and marketing see which target accounts are researching our topics, inside HubSpot.",
     "why": "Intent data sits in Demandbase, which sales never opens; surging accounts are found too late.",
     "kpis": "Sales follows up 80 % of surging accounts within 2 days.",
     "components": ["demandbase", "hubspot-marketing-hub", "workato"],
     "response": ("kevin", "A Workato recipe writes nightly intent scores into two HubSpot company properties.",
                  "8", "4000", "feasible", ""),
     "steps": [("accepted", ""), ("planned", ""), ("in_progress", "")]},
    {"title": "Nurture programme for calibration-kit buyers", "requester": "sofia",
     "capability": "email-programme", "cost": ("800", "week"), "needed_in": 30,
     "objective": "Buyers of a calibration kit get reminders and tips until their next calibration is due.",
     "why": "Repeat orders of kits are low; a reminder at the right time is cheap revenue.",
     "kpis": "15 % of kit buyers order again within a year.",
     "components": ["hubspot-marketing-hub", "shopify-parts-store"],
     "steps": []},
    {"title": "Evaluate a webinar platform to replace Zoom Webinars", "requester": "sofia",
     "capability": "evaluate-new-tool", "cost": None,
     "unquantifiable": "The cost is to the brand: webinars are our main product-education channel and Zoom's "
                       "limited branding looks amateurish next to competitors' events. No weekly figure is "
                       "honest.",
     "needed_in": 90,
     "objective": "A shortlist of webinar platforms scored against our requirements, with a recommendation.",
     "why": "Zoom Webinars cannot brand the registration pages, has no replays behind a form and no HubSpot "
            "connector we trust.",
     "kpis": "Attendance rate above 45 %; on-brand registration pages; attendees in HubSpot automatically.",
     "components": ["zoom-webinars"],
     "questions": [_ask("kevin", "dept:marketing", "How many attendees does the largest webinar have, and must "
                                                   "on-demand replays sit behind a form?")],
     "steps": []},
    {"title": "Customer portal for calibration certificates", "requester": "hannah",
     "capability": "custom-web-app", "cost": ("1000", "month"), "needed_in": 120,
     "objective": "Customers download the calibration certificates of their sensors without calling us.",
     "why": "The service desk answers about forty certificate requests a week by e-mail.",
     "kpis": "Certificate requests to the service desk down by 80 %.",
     "components": ["shopify-parts-store", "zendesk"],
     "response": ("kevin", "Not as a custom application. Alternative: certificates as files in the parts store's "
                           "customer accounts.", "", "", "not_feasible",
                  "We do not build or run custom web applications in house: there is no team to maintain them."),
     "steps": [("declined", "Not offered: we do not build or run custom web applications. The Shopify "
                            "customer-accounts alternative is with Ben Carter (Product).")]},
    {"title": "Export of webinar attendees to the agency's Google Drive", "requester": "tom",
     "capability": "data-export", "cost": ("500", "week"), "needed_in": 10,
     "objective": "The creative agency gets the attendee list to tailor the next campaign.",
     "why": "The agency asked for it to pick the case studies for the next campaign.",
     "kpis": "Campaign brief delivered on time.",
     "components": ["zoom-webinars", "google-drive-agency-share"],
     "questions": [_ask("isabel", "tom", "Does the agency have a data processing agreement with us? Attendee "
                                         "lists are personal data.",
                        ("tom", "No, the contract only covers creative work. They can work from the aggregated "
                                "report in Bynder instead."), closed=True)],
     "steps": [("withdrawn", "Not needed: the agency works from the aggregated report in Bynder.")]},
]

# Intake: roadmap, iterations, milestone -----------------------------------------------------
ROADMAP = {
    "name": "Marketing technology roadmap", "slug": "martech-roadmap", "department": "marketing",
    "vision": "By the end of next year every campaign is measured from first touch to revenue in one place, "
              "customers find what they need on our own sites without calling us, and no personal data lives "
              "outside a managed tool. Marketing says what and why; IT and Data say how and when; both keep the "
              "dates honest.",
}
# (name, goal, start in days, end in days, status)
ITERATIONS = [
    ("Iteration 1 – Clean tracking", "Trustworthy campaign data and no personal data in unmanaged places.",
     -7, 6, "active"),
    ("Iteration 2 – Launch ready", "Everything the PX-9 launch and the trade-show season need.", 7, 20, "planned"),
]
MILESTONE = ("PX-9 launch at the trade show", 35, "The pressure sensor launches; its page, meetings and "
             "follow-ups must work from day one.", ["Launch page for the PX-9 pressure sensor",
                                                     "Demandbase intent scores on HubSpot companies"])

# Intake: backlog ---------------------------------------------------------------------------
# (key, title, kind, components, effort days, value, status, iteration 1/2, assignee, depends on, request title,
#  extra fields). Items come after the items they depend on.
BACKLOG = [
    ("utm-lost-after-form-redirect", "UTM parameters lost after the HubSpot form redirect", "bug",
     ["corporate-website", "hubspot-marketing-hub"], "2", 8, "in_progress", 1, "jonas", [], None,
     {"description": "Leads from paid campaigns show up as “direct” because the thank-you redirect drops the UTM "
                     "parameters."}),
    ("consent-banner-twice-on-parts-store", "Consent banner shown twice on the parts store", "bug",
     ["shopify-parts-store", "onetrust-consent"], "1", 6, "done", 1, "mia", [], None, {}),
    ("partner-report-reads-marketo-export", "Partner report in Tableau still reads the retired Marketo export",
     "bug", ["tableau", "marketo-engage"], "3", 7, "ready", None, "felix", [], None, {}),
    ("ga4-export-late-for-morning-reports", "GA4 daily export lands after the morning reports run", "issue",
     ["google-analytics-4", "snowflake"], "2", 5, "planned", 1, "chloe", [], None, {}),
    ("zapier-leads-in-personal-sheet", "Zapier copies form leads into a personal Google Sheet", "issue",
     ["zapier", "google-drive-agency-share"], "2", 9, "planned", 1, "kevin", [], None,
     {"priority_override": Decimal("99"),
      "override_reason": "Personal data in an unmanaged sheet: Legal (Marcus Lee) asked to stop it in this "
                         "iteration, whatever the score says."}),
    ("attendee-lists-without-retention", "Event attendee lists kept in SharePoint with no retention rule", "issue",
     ["sharepoint-marketing", "cvent"], "1.5", 6, "new", None, "samuel", [], None, {}),
    ("zoom-attendees-to-hubspot", "Sync Zoom webinar attendees into HubSpot", "enhancement",
     ["zoom-webinars", "hubspot-marketing-hub", "workato"], "5", 7, "new", None, "kevin", [],
     "Sync Zoom webinar attendees into HubSpot", {}),
    ("demandbase-intent-to-hubspot", "Demandbase intent scores on HubSpot companies", "enhancement",
     ["demandbase", "workato", "hubspot-marketing-hub"], "8", 8, "in_progress", 1, "kevin", [],
     "Demandbase intent scores on HubSpot companies", {}),
    ("px9-launch-page", "PX-9 launch page", "enhancement",
     ["corporate-website", "contentful", "hubspot-marketing-hub"], "4", 8, "planned", 1, "mia",
     ["utm-lost-after-form-redirect"], "Launch page for the PX-9 pressure sensor", {}),
    ("press-newsletter-to-hubspot", "Move the press newsletter from Mailchimp to HubSpot", "enhancement",
     ["mailchimp", "hubspot-marketing-hub"], "3", 4, "new", None, "tom", [], None, {}),
    ("pipeline-by-campaign-dashboard", "Pipeline-by-campaign dashboard", "enhancement",
     ["tableau", "snowflake"], "6", 7, "planned", 2, "felix", ["ga4-export-late-for-morning-reports"],
     "Pipeline-by-campaign dashboard", {}),
    ("product-finder-on-website", "Guided product finder on the website", "feature_idea",
     ["corporate-website", "product-database"], "15", 6, "new", None, None, [], None, {}),
    ("account-pages-for-target-accounts", "Personalised pages for target accounts", "feature_idea",
     ["optimizely", "demandbase", "corporate-website"], "8", 5, "new", None, None,
     ["demandbase-intent-to-hubspot"], None, {}),
    ("part-number-search-with-dashes", "Parts store search does not find part numbers with dashes",
     "customer_feedback", ["shopify-parts-store"], "2", 7, "planned", 2, "ben", [], None,
     {"needed_in": 25, "description": "Three distributors wrote in: “PX-9-200” finds nothing, “PX9200” does."}),
    ("shorter-nps-emails", "NPS survey e-mails are too long", "customer_feedback", ["qualtrics", "sendgrid"],
     "1", 3, "new", None, None, [], None, {}),
]
# The item moved from the first iteration to the second, by whom and why.
# The capability's department → the person who answers for it (``None``: the demo actor).
DELIVERERS = {"it": "kevin", "marketing": "priya"}
BUMP = ("px9-launch-page", "kevin",
        "The PX-9 launch moved two weeks later, and the UTM fix this page needs is not done yet: planned into "
        "iteration 2 so the launch traffic is tracked from the first day.")

# Logins -----------------------------------------------------------------------------------
# (username, password, role, person key) — the passwords are printed by ``steward demo``.
LOGINS = [
    ("admin", "steward-admin", "admin", "priya"),
    ("editor", "steward-editor", "editor", "kevin"),
    ("viewer", "steward-viewer", "viewer", "isabel"),
    ("marketer", "steward-marketer", "viewer", "tom"),
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
    return (1 + len(DEPARTMENTS) + len(PEOPLE) + len(VENDORS) + len(COMPONENTS) + len(RELATIONS) + len(RACI)
            + 1 + len(CAPABILITIES) + len(REQUESTS) + 1 + len(BACKLOG) + 1)


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
        self.users: dict[int, object] = {}
        self.capabilities: dict[str, Capability] = {}
        self.requests: dict[str, Request] = {}
        self.iterations: list[Iteration] = []
        self.items: dict[str, BacklogItem] = {}

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

    # Intake -------------------------------------------------------------------------------

    def load_logins(self) -> None:
        """The demo logins: the intake steps act through them where a person of the company would."""
        for login in ensure_demo_logins(self.actor):
            if login.created:
                self.created("logins")
        self.users = {p.pk: p.user for p in Person.objects.filter(user__isnull=False).select_related("user")}
        self.progress("Demo logins")

    def as_person(self, key: str):
        """The login of the person ``key``, or the demo actor when they have none."""
        return self.users.get(self.people[key].pk) or self.actor

    def delivering(self, request: Request, to_status: str | None = None):
        """Who answers for the delivering department: its demo login when it may, else the demo actor."""
        key = DELIVERERS.get(request.capability.department.slug) if request.capability_id else None
        user = self.as_person(key) if key else self.actor
        allowed = (intake_perms.can_respond(user, request) if to_status is None
                   else intake_perms.can_transition(user, request, to_status))
        return user if allowed else self.actor

    def load_capabilities(self) -> None:
        existing = {c.slug: c for c in Capability.objects.all()}
        by_name = {c.name.lower(): c for c in existing.values()}
        for slug, name, department, lead_time, offering, description, can_do, cannot_do in CAPABILITIES:
            capability = existing.get(slug) or by_name.get(name.lower())
            if capability is None:
                capability = intake_services.capability_create(actor=self.actor, source=SYSTEM, data={
                    "name": name, "slug": slug, "department": self.departments[department],
                    "lead_time_days": lead_time, "offering": offering, "description": description,
                    "can_do": can_do, "cannot_do": cannot_do})
                self.created("capabilities")
            self.capabilities[slug] = capability
            self.progress(f"Capability {name}")

    def load_requests(self) -> None:
        existing = {r.title: r for r in Request.objects.all()}
        for spec in REQUESTS:
            request = existing.get(spec["title"])
            if request is None:
                request = self.file_request(spec)
            self.requests[spec["title"]] = request
            self.progress(f"Request {spec['title']}")

    def file_request(self, spec: dict) -> Request:
        today = timezone.localdate()
        amount, period = spec["cost"] or (None, "week")
        request, _check = intake_services.request_file(actor=self.as_person(spec["requester"]), source=SYSTEM, data={
            "title": spec["title"], "objective": spec["objective"], "why": spec["why"],
            "lost_cost_amount": Decimal(amount) if amount else None, "lost_cost_period": period,
            "lost_cost_unquantifiable": spec.get("unquantifiable", ""),
            "needed_by": today + timedelta(days=spec["needed_in"]), "success_kpis": spec["kpis"],
            "components": [self.components[slug] for slug in spec["components"]],
            "capability": self.capabilities[spec["capability"]], "requester": self.people[spec["requester"]],
        })
        self.created("requests")
        for question in spec.get("questions", []):
            self.ask(request, question)
        if spec.get("response"):
            _who, approach, days, cost, feasibility, constraints = spec["response"]
            request = intake_services.request_respond(
                request, actor=self.delivering(request), expected_version=None, source=SYSTEM, data={
                    "approach": approach, "estimate_days": Decimal(days) if days else None,
                    "estimate_cost": Decimal(cost) if cost else None, "feasibility": feasibility,
                    "constraints": constraints})
        history = spec.get("history")
        for to_status, note in spec["steps"]:
            extra = {}
            if to_status == "planned":
                extra["planned_delivery"] = today + timedelta(days=spec.get("planned_in", 14))
            if to_status == "delivered" and history:
                extra["delivered_on"] = today - timedelta(days=history[1])
            actor = self.as_person(spec["requester"]) if to_status == "withdrawn" else self.delivering(request,
                                                                                                      to_status)
            if not intake_perms.can_transition(actor, request, to_status):
                actor = self.actor
            request = intake_services.request_transition(request, actor=actor, to_status=to_status, note=note,
                                                         source=SYSTEM, **extra)
        if history:
            self.backdate(request, *history)
        return request

    def ask(self, request: Request, spec: dict) -> None:
        asker = self.as_person(spec["asker"])
        to = spec["to"]
        addressed = ({"addressed_department": self.departments[to[5:]]} if to.startswith("dept:")
                     else {"addressed_person": self.people[to]})
        question = questions.question_ask(actor=asker, target=request, text=spec["text"], source=SYSTEM,
                                          **addressed)
        self.created("questions")
        if spec["answer"]:
            who, text = spec["answer"]
            questions.question_answer(question, actor=self.as_person(who), text=text, source=SYSTEM)
            self.created("answers")
        if spec["closed"]:
            questions.question_close(question, actor=asker, source=SYSTEM)

    @staticmethod
    def backdate(request: Request, filed_ago: int, delivered_ago: int) -> None:
        """Move a delivered request's history into the past (the services stamp today): filed, planned, the
        workflow steps spread in between, delivered, measured two weeks later."""
        now = timezone.now()
        filed, delivered = now - timedelta(days=filed_ago), now - timedelta(days=delivered_ago)
        Request.objects.filter(pk=request.pk).update(
            created_at=filed, needed_by=timezone.localdate(delivered) + timedelta(days=2),
            planned_delivery=timezone.localdate(delivered))
        steps = list(request.transitions.order_by("id"))
        before_delivery = [t for t in steps if t.to_status != "measured"]
        for i, transition in enumerate(steps):
            if transition.to_status == "measured":
                when = min(delivered + timedelta(days=14), now)
            else:
                when = filed + (delivered - filed) * i / max(len(before_delivery) - 1, 1)
            RequestTransition.objects.filter(pk=transition.pk).update(created_at=when)

    def load_roadmap(self) -> None:
        today = timezone.localdate()
        roadmap = Roadmap.objects.filter(slug=ROADMAP["slug"]).first()
        if roadmap is None:
            roadmap = intake_services.roadmap_create(actor=self.actor, source=SYSTEM, data={
                **ROADMAP, "department": self.departments[ROADMAP["department"]]})
            self.created("roadmaps")
        existing = {i.name: i for i in roadmap.iterations.all()}
        for name, goal, start, end, status in ITERATIONS:
            iteration = existing.get(name)
            if iteration is None:
                iteration = intake_services.iteration_create(actor=self.actor, source=SYSTEM, data={
                    "roadmap": roadmap, "name": name, "goal": goal, "start": today + timedelta(days=start),
                    "end": today + timedelta(days=end), "status": status})
                self.created("iterations")
            self.iterations.append(iteration)
        name, due, description, request_titles = MILESTONE
        if not roadmap.milestones.filter(name=name).exists():
            intake_services.milestone_create(actor=self.actor, source=SYSTEM, data={
                "roadmap": roadmap, "name": name, "due": today + timedelta(days=due), "description": description,
                "requests": [self.requests[t] for t in request_titles]})
            self.created("milestones")
        self.progress(f"Roadmap {roadmap}")

    def load_backlog(self) -> None:
        today = timezone.localdate()
        existing = {i.key: i for i in BacklogItem.objects.all()}
        for key, title, kind, components, effort, value, status, iteration, assignee, depends_on, request, extra \
                in BACKLOG:
            item = existing.get(key)
            if item is None:
                item = intake_services.backlog_item_create(actor=self.actor, source=SYSTEM, data={
                    "key": key, "title": title, "kind": kind, "description": extra.get("description", ""),
                    "components": [self.components[slug] for slug in components],
                    "effort_days": Decimal(effort), "value": value, "status": status,
                    "iteration": self.iterations[iteration - 1] if iteration else None,
                    "assignee": self.people[assignee] if assignee else None,
                    "depends_on": [self.items[d] for d in depends_on],
                    "request": self.requests[request] if request else None,
                    "needed_by": today + timedelta(days=extra["needed_in"]) if "needed_in" in extra else None,
                    "priority_override": extra.get("priority_override"),
                    "override_reason": extra.get("override_reason", ""),
                })
                self.created("backlog items")
            self.items[key] = item
            self.progress(f"Backlog item {title}")

    def bump(self) -> None:
        """Move one item from the current iteration to the next, with its reason: everyone affected is told."""
        key, who, reason = BUMP
        item = self.items[key]
        if item.iteration_id == self.iterations[0].pk and not item.schedule_changes.exists():
            intake_services.backlog_item_plan(item, actor=self.as_person(who), iteration=self.iterations[1],
                                              reason=reason, source=SYSTEM)
            self.created("schedule changes")
        self.progress(f"{item.title} moved to {self.iterations[1]}")


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
    loader.load_logins()
    loader.load_capabilities()
    loader.load_requests()
    loader.load_roadmap()
    loader.load_backlog()
    loader.bump()
    return loader.result


@transaction.atomic
def ensure_demo_logins(actor=DEMO_ACTOR) -> list[DemoLogin]:
    """The demo's admin, editor, viewer and marketer accounts, created if missing and linked to demo people
    (``load_demo`` creates them too: its intake steps act through them).

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
