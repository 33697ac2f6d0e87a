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

Change control shows the same joint process for changes to shared systems: a change calendar (a
quarter-end freeze on every component, a spring campaign launch relying on HubSpot and its web forms,
a trade show and a webinar), the weekly "Marketing & IT change control" meeting (Tuesdays 10:00,
Europe/Berlin) with its meetings scheduled twelve weeks ahead, and eight changes in every state — a
draft, one submitted with pending approvals that lands in the campaign launch (so it carries its
conflict and the justification it was submitted with), one awaiting approval (deferred in last week's
meeting), one approved department by department in that meeting, one scheduled, one implemented,
one rolled back and an emergency change approved after the fact and reviewed. Kevin O'Brien
(``editor``) files IT's changes and decides IT's approvals; Priya Nair (``admin``) files Marketing's
and decides the other departments' approvals.

Money shows contracts and the value of the stack: a contract for every paid tool (Salesforce's one
agreement covers Sales Cloud, Tableau and Slack), derived from the components' annual cost and renewal date,
with a business owner, a procurement owner (Ingrid Svensson or Paul Novak) and a legal reviewer (Isabel Ortega
or Marcus Lee). Drift's auto-renewing contract is past its notice deadline with nobody deciding (red
everywhere), Demandbase's notice deadline is inside 30 days, Clearbit has no data processing agreement,
Vidyard's business owner Greg Palmer has left (and Cvent's, Olivia Brandt, is on leave): the health report's
three contract findings. HubSpot and Salesforce have an earlier term with its decision (renegotiated, renewed),
Semrush's earlier term rolled forward by itself, and OneTrust (renew), Canva (downsize) and Zoom (replace) are
already decided; the daily reminders ran five weeks ago, two weeks ago and today. The webinar platform selection
is decided: three candidates scored by Marketing, IT, Legal and Procurement reviewers, Livestorm chosen (a pilot
component and its draft contract) with IT's and Procurement's dissent. Two objectives with success factors and
four KPIs (pipeline in money, leads, two percentages) carry twelve monthly measurements up to last month, some
below target; budgets per component and per category group for this year and last, services and internal
hours, and the business owners' value scores fill the budget and investments pages. Decisions are recorded by
Priya Nair (``admin``); everything else acts as ``demo``.
"""

import functools
from calendar import monthrange
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from stacksteward.catalog import services as catalog_services
from stacksteward.catalog.choices import DATA_CATEGORIES, RaciActivityChoices
from stacksteward.catalog.models import Category, Component, DataCategory, RaciAssignment, Relation, Vendor
from stacksteward.catalog.taxonomy import LANDSCAPE
from stacksteward.changes import meetings
from stacksteward.changes import services as change_services
from stacksteward.changes.models import CalendarEvent, ChangeRequest, Meeting, MeetingSeries
from stacksteward.changes.policies import APPROVALS
from stacksteward.core import questions
from stacksteward.core.actors import SystemActor, is_system
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.models import AuditEntry, Notification, Transition
from stacksteward.core.services import object_create
from stacksteward.finance import services as finance_services
from stacksteward.finance.models import (
    Budget,
    Contract,
    ContractReminder,
    CostEntry,
    Kpi,
    Objective,
    RenewalDecision,
    Selection,
    ValueScore,
)
from stacksteward.finance.money import split
from stacksteward.finance.policies import CONTRACTS as CONTRACT_POLICY
from stacksteward.finance.roi import internal_rate
from stacksteward.intake import permissions as intake_perms
from stacksteward.intake import services as intake_services
from stacksteward.intake.models import BacklogItem, Capability, Iteration, Request, Roadmap
from stacksteward.org import services as org_services
from stacksteward.org.models import Department, Person

COMPANY = "Kestrel Instruments"
DOMAIN = "kestrel-instruments.example"
DEMO_ACTOR = SystemActor.demo()
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
    ("Livestorm", "https://livestorm.co", "active", "A webinar platform candidate."),
    ("ON24", "https://www.on24.com", "active", "A webinar platform candidate."),
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
    C("web-forms", "Web forms (HubSpot forms)", "Marketing Automation & Campaign Management", "HubSpot", tier=2,
      bo="tom", to="jonas", data="contact name", tags="customer-facing",
      description="The contact, demo-request and download forms embedded on the website; submissions land in "
                  "HubSpot and are routed to sales through Salesforce."),
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
    R("web-forms", "hubspot-marketing-hub", "depends_on", mechanism=NATIVE, frequency="real_time",
      description="The forms are served and stored by HubSpot."),
    R("corporate-website", "web-forms", "depends_on", mechanism="api", frequency="real_time",
      description="Forms embedded on the pages."),
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
    {"title": "Trade-show leads report by region", "requester": "tom", "capability": "new-report",
     "cost": ("1500", "week"), "needed_in": 35,
     "objective": "One report of the leads scanned at each trade show, with their follow-up status.",
     "why": "Sales asks after every show which leads were called back; today nobody can say.",
     "kpis": "Every show's leads reviewed in the Monday sales meeting.",
     "components": ["tableau", "salesforce-sales-cloud"],
     "response": ("data", "Tableau report on the Salesforce campaign members of each show.", "4", "",
                  "feasible", ""),
     "steps": [("accepted", ""), ("planned", "Fits the next iteration.")], "planned_in": 28,
     # After the estimate, the requester asks for more and sooner: a change order back to the data team.
     "scope_change": {"needed_in": 21,
                      "objective": "One report of the leads scanned at each trade show, with their follow-up "
                                   "status, split by sales region and distributor.",
                      "kpis": "Every show's leads reviewed in the Monday sales meeting; distributors get "
                              "their own leads within a week."}},
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
    ("trade-show-leads-by-region", "Trade-show leads report by region", "enhancement",
     ["tableau", "salesforce-sales-cloud"], "4", 6, "planned", 2, "felix", [], "Trade-show leads report by region",
     {}),
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

# Change control ----------------------------------------------------------------------------
ZONE = "Europe/Berlin"
# Freeze periods and marketing events: (slug, name, kind, when, components or "all", description). ``when``
# is "quarter_end" (the freeze around the next quarter end at least a week away) or (first day, hour, last
# day, hour) counted from today, in the demo's zone.
CALENDAR_EVENTS = [
    ("quarter-end-freeze", "Quarter-end change freeze", "freeze", "quarter_end", "all",
     "Finance closes the quarter: no changes to any system from three days before the quarter end until two "
     "days after, unless the change-control meeting agrees."),
    ("spring-campaign-launch", "Spring campaign launch: PX-9 pre-launch nurture", "campaign_launch",
     (9, 8, 16, 18), ["hubspot-marketing-hub", "web-forms"],
     "The nurture emails go out and the “Get the PX-9 spec sheet” forms go live on the website; every lead "
     "must reach sales the same day."),
    ("process-automation-expo", "Process Automation Expo (booth B12)", "trade_show", (33, 8, 37, 18),
     ["corporate-website", "hubspot-marketing-hub", "cvent"],
     "The PX-9 launches at the booth; badge scans go from Cvent into HubSpot every hour."),
    ("webinar-pressure-sensing", "Webinar: pressure sensing for process engineers", "webinar", (5, 15, 5, 17),
     ["zoom-webinars", "web-forms"], "Registration through the website's forms, attendance synced from Zoom."),
]
SERIES = {
    "name": "Marketing & IT change control", "weekday": 1, "time": (10, 0), "duration_minutes": 60,
    "timezone": ZONE, "location": "Room Elbe and Teams",
}
MEETING_MINUTES = (
    "Marketing, IT and Legal went through the changes awaiting approval. The consent banner change is approved "
    "by every department concerned. The Zoom attendee sync is deferred until the rollback has been tried on the "
    "sandbox.")
# The changes, in the order they are filed. ``window``: (day from today, hour, hours) in the demo's zone; a
# change is moved a day later until its window is clear of events, freezes and the other changes' windows,
# except with ``"fixed": True`` (the change that deliberately lands in the campaign launch). ``by``: the
# demo login who files and moves it. ``state``: where the demo leaves it.
CHANGES = [
    {"title": "Emergency: rotate the exposed SendGrid API key", "by": "kevin", "type": "emergency",
     "components": ["sendgrid"], "window": (-12, 16, 1), "state": "reviewed",
     "description": "The key was pasted into a public support forum by an agency developer. Rotate it and "
                    "update the parts store and HubSpot before anybody sends mail in our name.",
     "rollback": "Re-enable the old key in SendGrid (kept disabled for 48 hours).",
     "review": ("Key rotated in 25 minutes; no mail was sent with the old key.",
                "The parts store and HubSpot picked up the new key without a restart.",
                "Nobody knew who owned the SendGrid account: the owner is now in the catalog.")},
    {"title": "Send Aha! release dates to the Jira epics", "by": "kevin", "type": "normal",
     "components": ["aha-roadmaps"], "window": (-6, 17, 1), "state": "implemented",
     "description": "The Aha! integration also writes each feature's release date to its Jira epic, so the web "
                    "team plans launch pages from the same dates as Product.",
     "rollback": "Remove the release-date mapping from the Aha! integration; the epics keep their last value."},
    {"title": "Move Google Tag Manager to server-side tagging", "by": "kevin", "type": "normal",
     "components": ["google-tag-manager"], "window": (-3, 20, 3), "state": "rolled_back",
     "description": "Send the website's tags through a server container to get around ad blockers and "
                    "shorten page loads.",
     "rollback": "Publish the previous web container version (kept as version 41).",
     "note": "Conversions from Google Ads dropped by 40 % in the first hour: the server container lost the "
             "click ids. Rolled back to the web container at 21:10."},
    {"title": "Turn on single sign-on for Canva Teams", "by": "kevin", "type": "normal",
     "components": ["canva"], "window": (2, 18, 1), "state": "scheduled",
     "description": "Designers and agencies sign in to Canva with their company account; leavers lose access "
                    "the day they leave.",
     "rollback": "Switch single sign-on off in the Canva admin console; passwords still work for 30 days."},
    {"title": "Add an “analytics” cookie category to the consent banner", "by": "priya", "type": "normal",
     "components": ["onetrust-consent"], "window": (3, 7, 2), "state": "approved",
     "description": "Analytics cookies get their own category so visitors can allow them without allowing "
                    "advertising cookies.",
     "rollback": "Publish the previous banner version in OneTrust."},
    {"title": "Move the Zoom attendee sync from the native connector to Workato", "by": "kevin",
     "type": "normal", "components": ["workato", "zoom-webinars"], "window": (7, 18, 3),
     "state": "awaiting_approval",
     "description": "The native connector drops attendees with long company names; the Workato recipe keeps "
                    "them and adds the webinar's campaign.",
     "rollback": "Switch the native connector back on and pause the recipe."},
    {"title": "Rename the lead source values in Salesforce", "by": "kevin", "type": "normal",
     "components": ["salesforce-sales-cloud"], "window": (10, 19, 3), "fixed": True, "state": "submitted",
     "description": "“Web”, “Website” and “Inbound” become one “Website form” value; HubSpot's lead routing and "
                    "the attribution reports use the new value.",
     "rollback": "Restore the old picklist values from the metadata backup and re-run the mapping.",
     "justification": "The campaign's lead routing needs the new values: we rename in the evening, after the "
                      "day's leads are routed, with the sync tested on the sandbox. Tom watches the forms the "
                      "next morning."},
    {"title": "Add a “Preferred distributor” property to HubSpot contacts", "by": "priya", "type": "normal",
     "components": ["hubspot-marketing-hub"], "window": (24, 18, 2), "state": "draft",
     "description": "A property for the distributor a contact buys through, filled from the distributor "
                    "lists Sales keeps in Salesforce.",
     "rollback": "Hide the property and take it off the forms; no data is deleted."},
]
# The past meeting's decisions: (change title, "approve" for every pending approval or "defer", comment).
MEETING_DECISIONS = [
    ("Add an “analytics” cookie category to the consent banner", "approve", "Agreed: ship it before the launch."),
    ("Move the Zoom attendee sync from the native connector to Workato", "defer",
     "Try the rollback on the sandbox first and bring the result next week."),
]

# Money: contracts ------------------------------------------------------------------------------
# One contract per paid tool (Salesforce's agreement covers three). The current term ends the day before the
# component's renewal date and runs a year; the value is the components' annual cost and the seats the first
# component's, unless given. ``owner``: the business owner when not the first component's; ``buyer`` and
# ``legal``: the procurement owner and the legal reviewer. ``history``: an earlier term and the decision that
# led to this one; ``rolled``: an earlier term nobody decided on, rolled forward by ``finance_daily``;
# ``decide``: the decision already recorded on this term. Deliberate states (with the renewal days above):
# Drift's notice deadline passed with nobody deciding (auto-renewing), Demandbase's is inside 30 days,
# Clearbit has no data processing agreement, Vidyard's business owner (Greg Palmer) has left.


def _contract(reference, vendor, components, notice=30, **extra):
    return {"reference": reference, "vendor": vendor, "components": components.split(), "notice": notice,
            "renewal": "auto", "billing": "annually", "terms": "30 days net", "buyer": "paul", "legal": "marcus",
            "dpa": True, "security": True, **extra}


K = _contract
CONTRACTS = [
    K("SF-00917734", "Salesforce", "salesforce-sales-cloud tableau slack", 90, buyer="ingrid", legal="isabel",
      terms="45 days net", owner="victor", notes="One enterprise agreement for Sales Cloud, Tableau and Slack.",
      history={"decision": "renew", "by": "priya", "value": "254000", "seats": 110,
               "reasons": "Renewed for a year as is: the CRM is the system of record and a move is not on the "
                          "table. Procurement (Ingrid Svensson) got the Slack seats on the same end date."}),
    K("HS-0042871", "HubSpot", "hubspot-marketing-hub web-forms", 30, buyer="ingrid",
      history={"decision": "renegotiate", "by": "priya", "value": "88000", "seats": 20,
               "reasons": "Renegotiated after the move from Marketo: five more seats for the campaign team and "
                          "the price increase capped at 5 % a year for three years."}),
    K("CF-2024-118", "Contentful", "contentful", 60),
    K("VC-ENT-5521", "Vercel", "vercel", 30, billing="monthly"),
    K("SHOP-PLUS-7731", "Shopify", "shopify-parts-store", 30, billing="monthly"),
    K("OT-CC-3390", "OneTrust", "onetrust-consent", 30, legal="isabel",
      decide={"decision": "renew", "reasons": "Renew as is: the consent records are what we show a regulator, "
                                              "and the banner change approved last week depends on it."}),
    K("TW-SEG-4410", "Twilio", "segment", 60),
    K("SNOW-CAP-220", "Snowflake", "snowflake", 60, billing="upfront", terms="Capacity paid up front"),
    K("DD-PILOT-12", "Dreamdata", "dreamdata", 7, renewal="manual", currency="EUR", value="22000",
      security=False, notes="Six-month pilot extended to a year; the attribution KPI decides whether it stays."),
    K("CB-9921", "Clearbit", "clearbit", 14, dpa=False, security=False,
      notes="Bought by marketing with a credit card, moved to an invoice when HubSpot acquired Clearbit. The "
            "data processing agreement was never signed."),
    K("WK-AGR-1180", "Workato", "workato", 90, buyer="ingrid"),
    K("TTD-IO-5520", "The Trade Desk", "the-trade-desk", 30),
    K("DB-ONE-7710", "Demandbase", "demandbase", 30, buyer="ingrid"),
    K("HOOT-TEAM-88", "Hootsuite", "hootsuite", 30),
    K("BYN-2023-41", "Bynder", "bynder", 90, currency="EUR", value="33000"),
    K("CANVA-TEAMS-5", "Canva", "canva", 14, billing="monthly",
      decide={"decision": "downsize", "new_seats": 15,
              "reasons": "Only 12 of 30 seats are used: keep 15 for the brand team and the agencies."}),
    K("VY-3310", "Vidyard", "vidyard", 30, owner="greg",
      notes="Signed by Greg Palmer, who has left; nobody has taken the contract over."),
    K("SEM-GURU-19", "Semrush", "semrush", 30, billing="monthly", rolled=True),
    K("OPT-WEB-2290", "Optimizely", "optimizely", 60),
    K("TW-SG-1877", "Twilio", "sendgrid", 30, billing="monthly"),
    K("ZM-WEB-6620", "Zoom", "zoom-webinars", 30,
      decide={"decision": "replace", "notice_days_ago": 2,
              "reasons": "Replace with Livestorm, chosen in the webinar platform selection; notice sent to "
                         "Zoom so the contract ends with this term."}),
    K("CV-EVT-4470", "Cvent", "cvent", 90, buyer="ingrid"),
    K("QX-CX-3021", "Qualtrics", "qualtrics", 60),
    K("DR-3391", "Salesloft", "drift", 30,
      notes="Drift's contract, now with Salesloft after the acquisition."),
    K("ZD-SUP-7781", "Zendesk", "zendesk", 30),
    K("SL-2024-88", "Salesloft", "salesloft", 60, buyer="ingrid"),
    K("GONG-5512", "Gong", "gong", 60),
    K("IMP-PRM-310", "Impartner", "impartner-prm", 60),
    K("MW-MON-2214", "Meltwater", "meltwater", 60),
    K("CIS-PRN-907", "Cision", "cision", 30),
    K("NS-ERP-1022", "Oracle", "netsuite", 90, buyer="ingrid", legal="isabel", billing="quarterly"),
    K("AS-BIZ-4410", "Asana", "asana", 30),
    K("ATL-JIRA-77", "Atlassian", "jira", 30, billing="monthly"),
    K("AHA-RM-208", "Aha! Labs", "aha-roadmaps", 30),
]
# Past runs of the daily reminders, in days before today (today's run follows the decisions).
REMINDER_RUNS = (35, 14)

# Money: the tool selection ---------------------------------------------------------------------
SELECTION = {
    "title": "Webinar platform to replace Zoom Webinars",
    "need": "On-brand registration pages, replays behind a form and attendees in HubSpot within the hour, for "
            "monthly product webinars of up to 1,000 registrants.",
    "request": "Evaluate a webinar platform to replace Zoom Webinars", "replaces": "zoom-webinars",
    # (product, vendor, notes)
    "candidates": [
        ("Livestorm", "Livestorm", "Browser-based; native HubSpot app; EU hosting."),
        ("ON24", "ON24", "Enterprise webinar suite; native Salesforce and HubSpot connectors; three-year deal."),
        ("Zoom Webinars (stay)", "Zoom", "Keep Zoom and add the Zoom Events branding add-on."),
    ],
    # (department, criterion, weight, scores of Livestorm, ON24, Zoom)
    "criteria": [
        ("marketing", "Fit to the objective: branded pages, gated replays", "3", (5, 5, 2)),
        ("marketing", "Usability for the events team", "2", (5, 3, 4)),
        ("it", "Integration with HubSpot and Salesforce", "3", (4, 5, 2)),
        ("it", "Security: SSO, SOC 2 report", "2", (4, 5, 4)),
        ("it", "Architecture: no install for attendees", "1", (5, 4, 3)),
        ("legal", "Contract terms", "1", (4, 3, 3)),
        ("legal", "Data protection: EU hosting, DPA", "2", (5, 3, 3)),
        ("procurement", "Price over three years", "2", (3, 2, 5)),
        ("procurement", "Vendor viability", "1", (3, 5, 5)),
    ],
    "reviewers": {"marketing": ["sofia", "priya"], "it": ["kevin", "lena"], "legal": ["marcus"],
                  "procurement": ["paul"]},
    "decided_by": "priya",
    "chosen": "Livestorm",
    "reasons": "Livestorm scores best overall and for Marketing and Legal: branded registration pages and gated "
               "replays out of the box, attendees in HubSpot through the native app, data hosted in the EU "
               "under a signed DPA. ON24 integrates best but costs twice as much over three years.",
    "dissent": "IT (Kevin O'Brien) preferred ON24 for its native Salesforce connector and SOC 2 Type II report. "
               "Procurement (Paul Novak) notes Livestorm's price rises after the first year and asked for a cap "
               "before signing.",
    "component": {"slug": "livestorm", "category": EVENTS, "bo": "sofia", "to": "samuel", "tier": 3,
                  "data": "contact name behavior", "tags": "events"},
    "draft": {"reference": "LS-Q-2291 (quote)", "annual_value": "19800", "seats": 5, "notice_period_days": 30,
              "procurement_owner": "paul", "legal_reviewer": "marcus", "business_owner": "sofia",
              "notes": "Quote for the Business plan, 5 organiser seats; Procurement negotiates a price cap."},
}

# Money: objectives, KPIs and their measurements -------------------------------------------------
# (name with {year}, owner, description, success factors)
OBJECTIVES = [
    ("Grow marketing-sourced pipeline 20 % in {year}", "maya",
     "Marketing sources a fifth more pipeline than last year, traced from first touch to opportunity.",
     ["Every lead is traced from first touch to opportunity",
      "Sales follows up surging target accounts within two days"]),
    ("Turn product education into demand in {year}", "sofia",
     "Webinars and the parts store become the places plant engineers learn about, and buy, our products.",
     ["Webinars that look like ours and feed HubSpot the same day",
      "Plant engineers find and buy spare parts without calling us"]),
]
# (slug, name, objective index, kind, unit, direction, monthly target, components, request title, definition,
#  the twelve monthly values as fractions of the target, oldest first)
KPIS = [
    ("marketing-sourced-pipeline", "Marketing-sourced pipeline", 0, "money", "{currency}", "higher", "125000",
     ["hubspot-marketing-hub", "demandbase", "dreamdata"], None,
     "Value of the Salesforce opportunities created in the month whose first touch was a marketing campaign "
     "(Dreamdata, first-touch model).",
     (0.82, 0.91, 1.05, 0.97, 1.12, 1.08, 0.88, 0.95, 1.15, 1.21, 1.04, 1.10)),
    ("marketing-qualified-leads", "Marketing-qualified leads", 0, "count", "leads", "higher", "420",
     ["hubspot-marketing-hub", "web-forms", "zoom-webinars"], None,
     "Contacts that reached the MQL lifecycle stage in HubSpot in the month (score ≥ 60, not a competitor).",
     (0.93, 0.88, 1.02, 1.10, 0.97, 0.85, 0.79, 0.92, 1.06, 1.14, 1.01, 0.96)),
    ("webinar-attendance-rate", "Webinar attendance rate", 1, "percent", "%", "higher", "45",
     ["zoom-webinars"], "Evaluate a webinar platform to replace Zoom Webinars",
     "Live attendees ÷ registrants over the month's webinars, from the Zoom webinar reports.",
     (0.86, 0.91, 0.98, 1.05, 0.88, 0.94, 1.02, 0.96, 0.89, 1.07, 0.99, 0.93)),
    ("parts-store-conversion-rate", "Parts-store conversion rate", 1, "percent", "%", "higher", "2.5",
     ["shopify-parts-store", "optimizely"], None,
     "Orders ÷ sessions in the Shopify parts store in the month.",
     (0.92, 0.96, 1.04, 1.08, 0.98, 1.12, 1.01, 0.95, 1.06, 1.10, 1.03, 1.09)),
]

# How a KPI's value is shared among the tools it measures (percent); the others split it equally.
KPI_ATTRIBUTION = {
    "marketing-sourced-pipeline": {"hubspot-marketing-hub": "40", "demandbase": "35", "dreamdata": "25"},
}

# Money: costs beyond licences, budgets and value scores -----------------------------------------
# (component, year offset from this year, kind, amount or None, hours or None, description)
COST_ENTRIES = [
    ("hubspot-marketing-hub", -1, "services", "24000", None, "Agency: migration from Marketo Engage"),
    ("hubspot-marketing-hub", -1, "internal", None, "900", "Marketing operations: migration and nurture rebuild"),
    ("hubspot-marketing-hub", 0, "internal", None, "480", "Marketing operations: campaigns and workflows"),
    ("corporate-website", -1, "services", "55000", None, "Web agency retainer"),
    ("corporate-website", 0, "services", "60000", None, "Web agency retainer"),
    ("corporate-website", 0, "internal", None, "1400", "Web team: pages, templates and tracking"),
    ("salesforce-sales-cloud", 0, "services", "30000", None, "Implementation partner: lead routing and quotes"),
    ("segment", 0, "internal", None, "240", "Tracking plan and audiences"),
    ("snowflake", 0, "internal", None, "400", "Analytics engineering: marketing models"),
    ("workato", 0, "internal", None, "320", "Integration recipes and monitoring"),
    ("demandbase", 0, "services", "8000", None, "Onboarding package"),
    ("contentful", -1, "services", "15000", None, "Content model redesign"),
]
# The budget of this year relative to the annual cost, cycling over the components (some end over budget).
BUDGET_FACTORS = ("1.00", "1.05", "0.95", "1.10", "0.90")
# (component, business owner, score 1–5, reasons) for this year.
VALUE_SCORES = [
    ("bynder", "hannah", 4, "Every brochure and product photo comes from it; agencies self-serve."),
    ("hootsuite", "amara", 3, "Saves the social team a day a week; the analytics are weak."),
    ("canva", "hannah", 2, "Useful for quick social images, but fewer than half the seats are used."),
    ("semrush", "hannah", 3, "Keyword research for the product pages; used by two people."),
    ("meltwater", "zoe", 4, "Press monitoring the board reads every Monday."),
    ("cision", "omar", 2, "Four press releases a year; a cheaper wire would do."),
    ("vidyard", "hannah", 2, "Since Greg left, hardly anyone records sales videos."),
    ("asana", "priya", 4, "Every campaign is planned in it; marketing and the web team share the boards."),
    ("qualtrics", "elena", 3, "NPS drives the product roadmap, but the surveys are too long."),
    ("drift", "sofia", 2, "Few chat leads since the forms improved; HubSpot's chat may be enough."),
    ("optimizely", "sofia", 3, "Good tests on the parts store; the website runs too few of them."),
    ("slack", "robert", 5, "The company's nervous system: sales, support and marketing live in it."),
    ("contentful", "hannah", 5, "Pages ship without the web team; product data stays consistent."),
]

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
        return ", ".join(f"{n} {name if n != 1 else _singular(name)}" for name, n in self.created.items() if n)


_SINGULAR = {"people": "person", "RACI assignments": "RACI assignment", "series": "series",
             "meeting series": "meeting series", "capabilities": "capability", "categories": "category",
             "data categories": "data category", "KPIs": "KPI"}


def _singular(label: str) -> str:
    """“1 roadmap”, not “1 roadmaps”."""
    if label in _SINGULAR:
        return _SINGULAR[label]
    words = label.split(" ")
    last = words[-1]
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("s"):
        last = last[:-1]
    return " ".join([*words[:-1], last])


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
            + 1 + len(CAPABILITIES) + len(REQUESTS) + 1 + len(BACKLOG) + 1
            + len(CALENDAR_EVENTS) + 1 + len(CHANGES) + 1
            + len(CONTRACTS) + 1 + 1 + len(OBJECTIVES) + len(KPIS) + 1 + 1)


def demo_loaded(actor=DEMO_ACTOR) -> bool:
    """True once ``load_demo`` has created the demo's components (the audit log remembers it)."""
    from django.contrib.contenttypes.models import ContentType

    return AuditEntry.objects.filter(
        source=SYSTEM, actor_name=str(actor), action="create",
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
        self.events: dict[str, CalendarEvent] = {}
        self.series: MeetingSeries | None = None
        self.past_meeting: Meeting | None = None

    def created(self, label: str, n: int = 1) -> None:
        self.result.created[label] += n

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
        if spec.get("scope_change"):  # the requester changes the scope after the estimate: a change order
            change = dict(spec["scope_change"])
            data = {"success_kpis": change.pop("kpis")} if "kpis" in change else {}
            if "needed_in" in change:
                data["needed_by"] = today + timedelta(days=change.pop("needed_in"))
            request = intake_services.request_update(request, actor=self.as_person(spec["requester"]),
                                                     data={**data, **change}, expected_version=None, source=SYSTEM)
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
            Transition.objects.filter(pk=transition.pk).update(created_at=when)

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

    # Change control -------------------------------------------------------------------------

    def at(self, day: int, hour: int, minute: int = 0) -> datetime:
        """An aware date-time ``day`` days from today at ``hour`` in the demo's zone."""
        zone = ZoneInfo(ZONE)
        return datetime.combine(datetime.now(zone).date() + timedelta(days=day), time(hour, minute), zone)

    def event_window(self, when) -> tuple[datetime, datetime]:
        zone = ZoneInfo(ZONE)
        if when == "quarter_end":
            soon = datetime.now(zone).date() + timedelta(days=7)
            month = (soon.month - 1) // 3 * 3 + 3
            last = date(soon.year, month, monthrange(soon.year, month)[1])
            return (datetime.combine(last - timedelta(days=3), time(0), zone),
                    datetime.combine(last + timedelta(days=2), time(0), zone))
        first, start_hour, last, end_hour = when
        return self.at(first, start_hour), self.at(last, end_hour)

    def load_calendar(self) -> None:
        existing = {e.slug: e for e in CalendarEvent.objects.all()}
        for slug, name, kind, when, components, description in CALENDAR_EVENTS:
            event = existing.get(slug)
            if event is None:
                start, end = self.event_window(when)
                event = change_services.event_create(actor=self.as_person("kevin"), source=SYSTEM, data={
                    "slug": slug, "name": name, "kind": kind, "start": start, "end": end,
                    "all_components": components == "all", "description": description,
                    "components": [] if components == "all" else [self.components[c] for c in components]})
                self.created("calendar events")
            self.events[slug] = event
            self.progress(f"Calendar event {name}")

    def load_meetings(self) -> None:
        """The weekly change-control series (its meetings scheduled twelve weeks ahead) and last week's meeting."""
        series = MeetingSeries.objects.filter(name=SERIES["name"]).first()
        self.past_meeting = None
        if series is None:
            slot = self.last_slot()
            series = meetings.series_create(actor=self.as_person("kevin"), source=SYSTEM, data={
                **SERIES, "time": time(*SERIES["time"]), "starts_on": slot.date()})
            self.created("meeting series")
            self.created("meetings", series.meetings.count())
            self.past_meeting = series.meetings.filter(starts_at=slot).first()
            if self.past_meeting is None:
                self.past_meeting = meetings.meeting_create(actor=self.as_person("kevin"), source=SYSTEM, data={
                    "series": series, "title": series.name, "starts_at": slot, "location": series.location,
                    "ends_at": slot + timedelta(minutes=series.duration_minutes)})
                self.created("meetings")
        self.series = series
        self.progress(f"Meeting series {series}")

    def last_slot(self) -> datetime:
        """The start of the series' latest meeting that is over by now."""
        zone = ZoneInfo(ZONE)
        now = datetime.now(zone)
        day = now.date() - timedelta(days=(now.weekday() - SERIES["weekday"]) % 7)
        slot = datetime.combine(day, time(*SERIES["time"]), zone)
        if slot + timedelta(minutes=SERIES["duration_minutes"]) > now:
            slot = datetime.combine(day - timedelta(days=7), time(*SERIES["time"]), zone)
        return slot

    def plan_windows(self) -> dict[str, tuple[datetime, datetime]]:
        """Each change's window: fixed ones as given, the others moved a day later until they are clear of every
        event and of the windows planned before them (so that only the intended conflict exists)."""
        busy = [(e.start, e.end) for e in self.events.values()]
        windows = {}
        for spec in sorted(CHANGES, key=lambda spec: not spec.get("fixed")):
            day, hour, hours = spec["window"]
            start = self.at(day, hour)
            while not spec.get("fixed") and any(s < start + timedelta(hours=hours) and start < e for s, e in busy):
                start += timedelta(days=1)
            windows[spec["title"]] = (start, start + timedelta(hours=hours))
            busy.append(windows[spec["title"]])
        return windows

    def decider(self, approval):
        """The demo login who decides a department's approval: an editor of the department, else the admin."""
        for key in ("kevin", "priya"):
            user = self.as_person(key)
            if not is_system(user) and APPROVALS.allows(user, "decide", approval):
                return user
        return self.actor

    def decide_all(self, change: ChangeRequest, comment: str = "") -> None:
        for approval in change.approvals.filter(decision="pending").select_related("department"):
            change_services.approval_decide(approval, actor=self.decider(approval), decision="approved",
                                            comment=comment, source=SYSTEM)

    def load_changes(self) -> None:
        existing = set(ChangeRequest.objects.values_list("title", flat=True))
        windows = self.plan_windows()
        for spec in CHANGES:
            if spec["title"] not in existing:
                self.file_change(spec, *windows[spec["title"]])
            self.progress(f"Change {spec['title']}")

    def file_change(self, spec: dict, start: datetime, end: datetime) -> ChangeRequest:
        """File the change and move it to its demo state, as the people of the company would."""
        actor, state = self.as_person(spec["by"]), spec["state"]
        change = change_services.change_create(actor=actor, source=SYSTEM, data={
            "title": spec["title"], "description": spec["description"], "type": spec["type"],
            "components": [self.components[slug] for slug in spec["components"]],
            "implementer": self.people[spec["by"]], "window_start": start, "window_end": end,
            "rollback_plan": spec["rollback"]})
        self.created("changes")
        if state == "draft":
            return change
        change = change_services.change_submit(change, actor=actor, source=SYSTEM,
                                               conflict_justification=spec.get("justification", ""))
        if state == "submitted":
            return change
        move = functools.partial(change_services.change_transition, actor=actor, source=SYSTEM)
        if spec["type"] == "emergency":  # went ahead at once; approved after the fact, then reviewed
            change = move(change, to_status="implemented", note="Done within the hour: the key was public.")
            self.decide_all(change, "Approved after the fact: rotating the key was the right call.")
        else:
            change = move(change, to_status="awaiting_approval")
            if state in ("awaiting_approval", "approved"):
                return change  # decided in the change-control meeting
            self.decide_all(change)
            change.refresh_from_db()
            change = move(change, to_status="scheduled")
            if state == "scheduled":
                return change
            change = move(change, to_status="rolled_back" if state == "rolled_back" else "implemented",
                          note=spec.get("note", ""))
        if spec.get("review"):
            outcome, went_well, went_badly = spec["review"]
            change = change_services.change_review(change, actor=actor, source=SYSTEM, outcome=outcome,
                                                   went_well=went_well, went_badly=went_badly)
        self.backdate_change(change, start - timedelta(days=5), end + timedelta(days=2 if spec.get("review") else 0))
        return change

    @staticmethod
    def backdate_change(change: ChangeRequest, filed, done) -> None:
        """Spread a past change's history between its filing and its end (the services stamp now)."""
        steps = list(change.transitions.order_by("id"))
        for i, step in enumerate(steps):
            when = filed + (done - filed) * i / max(len(steps) - 1, 1)
            Transition.objects.filter(pk=step.pk).update(created_at=when)
        ChangeRequest.objects.filter(pk=change.pk).update(
            created_at=filed, reviewed_at=done if change.reviewed_at else None)
        change.approvals.exclude(decided_at=None).update(decided_at=done if change.review_required else filed
                                                         + (done - filed) / 2)

    def hold_meeting(self) -> None:
        """Last week's meeting: the consent change approved department by department, the Zoom sync deferred."""
        meeting = self.past_meeting
        if meeting is not None:
            changes = {c.title: c for c in ChangeRequest.objects.filter(title__in=[d[0] for d in MEETING_DECISIONS])}
            decided_at = meeting.starts_at + timedelta(minutes=20)
            for title, decision, comment in MEETING_DECISIONS:
                change = changes[title]
                ChangeRequest.objects.filter(pk=change.pk).update(created_at=meeting.starts_at - timedelta(days=3))
                change.transitions.update(created_at=meeting.starts_at - timedelta(days=2))
                if decision == "defer":
                    meetings.meeting_decide(meeting, change, actor=self.as_person("kevin"), decision="defer",
                                            comment=comment, source=SYSTEM)
                    self.created("meeting decisions")
                    continue
                for approval in change.approvals.filter(decision="pending").select_related("department"):
                    meetings.meeting_decide(meeting, change, actor=self.decider(approval), decision="approve",
                                            department=approval.department, comment=comment, source=SYSTEM)
                    self.created("meeting decisions")
                change.approvals.update(decided_at=decided_at)
                change.transitions.filter(to_status="approved").update(created_at=decided_at)
            meeting.decisions.update(created_at=decided_at)
            attendees = [self.people[key] for key in ("priya", "kevin", "grace", "marcus", "lena", "daniel")]
            meetings.meeting_update(meeting, actor=self.as_person("kevin"), expected_version=None, source=SYSTEM,
                                    data={"status": "held", "notes": MEETING_MINUTES, "attendees": attendees})
        self.progress("Change-control meeting of last week")


    # Money ----------------------------------------------------------------------------------

    def finance_actor(self, key: str):
        """The person's demo login when it may write finance records, else the demo actor."""
        user = self.as_person(key)
        return user if not is_system(user) and CONTRACT_POLICY.allows(user, "decide") else self.actor

    def contract_data(self, spec: dict, start: date, end: date) -> dict:
        components = [self.components[slug] for slug in spec["components"]]
        first = components[0]
        value = spec.get("value") or sum((c.annual_cost or Decimal(0) for c in components), Decimal(0))
        costs = [c.annual_cost or Decimal(0) for c in components]
        # A contract for several tools splits its cost as each tool's own annual cost (shares adding up to 100).
        shares = ({c.slug: str(share) for c, share in zip(components, split(Decimal(100), costs), strict=True)}
                  if len(components) > 1 and any(costs) else {})
        owner = self.people[spec["owner"]] if spec.get("owner") else first.business_owner
        return {
            "vendor": self.vendors[spec["vendor"]], "components": components, "reference": spec["reference"],
            "start_date": start, "end_date": end, "renewal_type": spec["renewal"], "renewal_term_months": 12,
            "notice_period_days": spec["notice"], "annual_value": Decimal(value),
            "currency": spec.get("currency") or settings.STEWARD_CURRENCY, "billing_frequency": spec["billing"],
            "seats": first.seats_purchased, "allocation_shares": shares, "payment_terms": spec["terms"],
            "dpa_signed": spec["dpa"],
            "security_review_done": spec["security"], "procurement_owner": self.people[spec["buyer"]],
            "legal_reviewer": self.people[spec["legal"]], "business_owner": owner, "status": "active",
            "notes": spec.get("notes", ""),
        }

    def load_contracts(self) -> None:
        """Each paid tool's contract, earlier terms and their decisions, reminders, and this term's decisions."""
        today = timezone.localdate()
        existing = set(Contract.objects.values_list("reference", flat=True))
        new = []
        for spec in CONTRACTS:
            if spec["reference"] not in existing:
                new.append((spec, self.file_contract(spec, today)))
            self.progress(f"Contract {spec['vendor']} {spec['reference']}")
        rolled = finance_services.contracts_roll_forward(on=today, actor=SystemActor.job("finance_daily"))
        self.created("contracts", rolled["rolled_forward"])
        if new:
            for days in REMINDER_RUNS:  # what the daily job sent before today
                self.send_reminders(today - timedelta(days=days))
        for spec, contract in new:
            if spec.get("decide"):
                self.decide(contract, spec["decide"], today - timedelta(days=3))
        self.send_reminders(today)
        self.progress("Contract reminders and renewal decisions")

    def file_contract(self, spec: dict, today: date) -> Contract:
        renewal = self.components[spec["components"][0]].renewal_date or today + timedelta(days=365)
        end = renewal - timedelta(days=1)
        start = end - relativedelta(years=1) + timedelta(days=1)
        data = self.contract_data(spec, start, end)
        history, rolled = spec.get("history"), spec.get("rolled")
        if not (history or rolled):
            self.created("contracts")
            return finance_services.contract_create(actor=self.actor, source=SYSTEM, data=data)
        # The earlier term: a year before this one; decided (``history``) or rolled forward by the daily job.
        earlier = {**data, "start_date": start - relativedelta(years=1), "end_date": start - timedelta(days=1)}
        if history:
            earlier.update(annual_value=Decimal(history["value"]), seats=history["seats"])
        previous = finance_services.contract_create(actor=self.actor, source=SYSTEM, data=earlier)
        self.created("contracts")
        if rolled:
            return previous  # contracts_roll_forward creates the current term
        record = finance_services.contract_decide(previous, actor=self.finance_actor(history["by"]),
                                                  decision=history["decision"], reasons=history["reasons"],
                                                  source=SYSTEM)
        self.created("renewal decisions")
        RenewalDecision.objects.filter(pk=record.pk).update(
            created_at=timezone.make_aware(datetime.combine(previous.notice_deadline - timedelta(days=12),
                                                            time(11)), ZoneInfo(ZONE)))
        current = Contract.objects.get(previous=previous)
        self.created("contracts")
        return finance_services.contract_update(current, actor=self.actor, source=SYSTEM, expected_version=None,
                                                data={"annual_value": data["annual_value"], "seats": data["seats"]})

    def decide(self, contract: Contract, spec: dict, on: date) -> None:
        contract = Contract.objects.filter(reference=contract.reference, status__in=["active", "renewing"]).get()
        notice = on - timedelta(days=spec["notice_days_ago"]) if "notice_days_ago" in spec else None
        record = finance_services.contract_decide(contract, actor=self.finance_actor("priya"),
                                                  decision=spec["decision"], reasons=spec["reasons"],
                                                  new_seats=spec.get("new_seats"), notice_sent_on=notice,
                                                  source=SYSTEM)
        RenewalDecision.objects.filter(pk=record.pk).update(
            created_at=timezone.make_aware(datetime.combine(on, time(15)), ZoneInfo(ZONE)))
        self.created("renewal decisions")
        if spec["decision"] in ("renew", "renegotiate", "downsize"):
            self.created("contracts")

    def send_reminders(self, on: date) -> None:
        """Run the daily reminders as on ``on``; the reminders and notifications sent get that day's date."""
        last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        sent = finance_services.contract_reminders(on=on, actor=SystemActor.job("finance_daily"))
        if sent and on != timezone.localdate():
            when = timezone.make_aware(datetime.combine(on, time(6)), ZoneInfo(ZONE))
            ContractReminder.objects.filter(pk__in=[r.pk for r in sent]).update(sent_at=when)
            Notification.objects.filter(pk__gt=last, object_id__in=[str(r.contract_id) for r in sent],
                                        content_type=ContentType.objects.get_for_model(Contract)
                                        ).update(created_at=when)
        self.created("contract reminders", len(sent))

    def load_selection(self) -> None:
        """The webinar platform selection: candidates, criteria by department, scores by named reviewers, the
        decision with a dissent (creating the chosen tool as a pilot and its draft contract)."""
        spec = SELECTION
        if not Selection.objects.filter(title=spec["title"]).exists():
            self.run_selection(spec)
        self.progress(f"Selection {spec['title']}")

    def run_selection(self, spec: dict) -> None:
        selection = finance_services.selection_create(actor=self.actor, source=SYSTEM, data={
            "title": spec["title"], "need": spec["need"], "request": self.requests.get(spec["request"]),
            "replaces": self.components[spec["replaces"]]})
        self.created("selections")
        candidates = []
        for name, vendor, notes in spec["candidates"]:
            candidates.append(finance_services.candidate_create(actor=self.actor, source=SYSTEM, data={
                "selection": selection, "name": name, "vendor": self.vendors[vendor], "notes": notes}))
            self.created("selection candidates")
        for c_index, (department, name, weight, scores) in enumerate(spec["criteria"]):
            criterion = finance_services.criterion_create(actor=self.actor, source=SYSTEM, data={
                "selection": selection, "department": self.departments[department], "name": name,
                "weight": Decimal(weight)})
            self.created("selection criteria")
            for r_index, reviewer in enumerate(spec["reviewers"][department]):
                for k_index, (candidate, score) in enumerate(zip(candidates, scores, strict=True)):
                    # a second reviewer of the department is a little stricter on some candidates
                    if r_index and (c_index + k_index) % 3 == 0:
                        score = max(score - 1, 0)
                    finance_services.score_record(actor=self.finance_actor(reviewer), criterion=criterion,
                                                  candidate=candidate, score=score, reviewer=self.people[reviewer],
                                                  source=SYSTEM)
                    self.created("scores")
        chosen = next(c for c in candidates if c.name == spec["chosen"])
        component = spec["component"]
        decider = self.finance_actor(spec["decided_by"])
        finance_services.selection_decide(
            selection, actor=decider, chosen=chosen, reasons=spec["reasons"], dissent=spec["dissent"],
            create_component=True, source=SYSTEM, component_data={
                "slug": component["slug"], "category": self.categories[slugify(component["category"])],
                "tier": component["tier"], "business_owner": self.people[component["bo"]],
                "technical_owner": self.people[component["to"]], "tags": component["tags"].split(),
                "data_categories": [self.data_categories[DATA[d]] for d in component["data"].split()]})
        self.created("components")
        self.components[component["slug"]] = Component.objects.get(slug=component["slug"])
        draft = Contract.objects.get(status="draft", components=self.components[component["slug"]])
        self.created("contracts")
        people = {"procurement_owner", "legal_reviewer", "business_owner"}
        finance_services.contract_update(draft, actor=decider, source=SYSTEM, expected_version=None, data={
            **{k: self.people[v] if k in people else v for k, v in spec["draft"].items()},
            "annual_value": Decimal(spec["draft"]["annual_value"])})

    def load_objectives(self) -> None:
        """Two objectives with success factors, and KPIs with twelve monthly measurements up to last month."""
        today = timezone.localdate()
        year = today.year
        objectives = []
        for name, owner, description, factors in OBJECTIVES:
            name = name.format(year=year)
            objective = Objective.objects.filter(name=name).first()
            if objective is None:
                objective = finance_services.objective_create(actor=self.actor, source=SYSTEM, data={
                    "name": name, "owner": self.people[owner], "description": description,
                    "period_start": date(year, 1, 1), "period_end": date(year, 12, 31)})
                self.created("objectives")
                for factor in factors:
                    finance_services.success_factor_create(actor=self.actor, source=SYSTEM, data={
                        "objective": objective, "name": factor})
                    self.created("success factors")
            objectives.append(objective)
            self.progress(f"Objective {name}")
        last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        months = [last_month - relativedelta(months=11 - i) for i in range(12)]
        currency = settings.STEWARD_CURRENCY
        for (slug, name, objective, kind, unit, direction, target, components, request, definition,
             shape) in KPIS:
            kpi = Kpi.objects.filter(slug=slug).first()
            if kpi is None:
                kpi = finance_services.kpi_create(actor=self.actor, source=SYSTEM, data={
                    "slug": slug, "name": name, "definition": definition, "unit": unit.format(currency=currency),
                    "value_kind": kind, "currency": currency if kind == "money" else "", "direction": direction,
                    "target": Decimal(target), "frequency": "monthly", "objective": objectives[objective],
                    "components": [self.components[c] for c in components],
                    "request": self.requests.get(request) if request else None,
                    **({"attribution": "shares", "attribution_shares": KPI_ATTRIBUTION[slug]}
                       if slug in KPI_ATTRIBUTION else {})})
                self.created("KPIs")
            measured = set(kpi.measurements.values_list("period_start", flat=True))
            places = Decimal("1") if kind in ("money", "count") else Decimal("0.1")
            for month, share in zip(months, shape, strict=True):
                if month not in measured:
                    value = (Decimal(target) * Decimal(str(share))).quantize(places)
                    finance_services.measurement_record(actor=self.actor, kpi=kpi, period_start=month, value=value,
                                                        source=SYSTEM)
                    self.created("measurements")
            self.progress(f"KPI {name}")

    def load_budgets_and_costs(self) -> None:
        """Budgets per component and per category group for this year and last; services and internal effort."""
        year = timezone.localdate().year
        currencies = {slug: spec.get("currency") or settings.STEWARD_CURRENCY
                      for spec in CONTRACTS for slug in spec["components"]}
        values = {spec["components"][0]: Decimal(spec["value"]) for spec in CONTRACTS if spec.get("value")}
        existing = set(Budget.objects.values_list("year", "component_id", "category_id"))
        groups: dict[int, Decimal] = {}
        costed = [spec for spec in COMPONENTS if spec["cost"] and spec["slug"] in currencies]
        # This year's budget plans the licence and this year's services and internal effort: the same basis as
        # the actual cost it is compared with.
        planned_extra: dict[tuple[str, int], Decimal] = {}
        for slug, offset, _kind, amount, hours, _description in COST_ENTRIES:
            extra = Decimal(amount) if amount else Decimal(hours) * internal_rate()
            planned_extra[slug, offset] = planned_extra.get((slug, offset), Decimal(0)) + extra
        for i, spec in enumerate(costed):
            component = self.components[spec["slug"]]
            cost = values.get(spec["slug"], Decimal(spec["cost"]))
            for budget_year, factor in ((year, Decimal(BUDGET_FACTORS[i % len(BUDGET_FACTORS)])),
                                        (year - 1, Decimal("0.90"))):
                planned = cost + planned_extra.get((spec["slug"], budget_year - year), Decimal(0))
                if (budget_year, component.pk, None) not in existing:
                    finance_services.budget_create(actor=self.actor, source=SYSTEM, data={
                        "year": budget_year, "component": component,
                        "amount": (planned * factor).quantize(Decimal(100)),
                        "currency": currencies[spec["slug"]]})
                    self.created("budgets")
            if currencies[spec["slug"]] == settings.STEWARD_CURRENCY:
                group = component.category.parent_id or component.category_id
                groups[group] = groups.get(group, Decimal(0)) + cost
        for group, total in groups.items():
            for budget_year, factor in ((year, Decimal("1.10")), (year - 1, Decimal("1.00"))):
                if (budget_year, None, group) not in existing:
                    finance_services.budget_create(actor=self.actor, source=SYSTEM, data={
                        "year": budget_year, "category": Category.objects.get(pk=group),
                        "amount": (total * factor).quantize(Decimal(1000)), "currency": settings.STEWARD_CURRENCY})
                    self.created("budgets")
        existing_costs = set(CostEntry.objects.values_list("component_id", "year", "kind", "description"))
        for slug, offset, kind, amount, hours, description in COST_ENTRIES:
            component = self.components[slug]
            if (component.pk, year + offset, kind, description) not in existing_costs:
                finance_services.cost_entry_create(actor=self.actor, source=SYSTEM, data={
                    "component": component, "year": year + offset, "kind": kind, "description": description,
                    "amount": Decimal(amount) if amount else None, "hours": Decimal(hours) if hours else None,
                    "currency": settings.STEWARD_CURRENCY})
                self.created("cost entries")
        self.progress("Budgets and costs")

    def load_value_scores(self) -> None:
        year = timezone.localdate().year
        existing = set(ValueScore.objects.filter(year=year).values_list("component_id", "scorer_id"))
        for slug, owner, score, reasons in VALUE_SCORES:
            component, scorer = self.components[slug], self.people[owner]
            if (component.pk, scorer.pk) not in existing:
                finance_services.value_score_record(actor=self.finance_actor(owner), component=component, year=year,
                                                    score=score, reasons=reasons, scorer=scorer, source=SYSTEM)
                self.created("value scores")
        self.progress("Value scores by the business owners")

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
    loader.load_calendar()
    loader.load_meetings()
    loader.load_changes()
    loader.hold_meeting()
    loader.load_contracts()
    loader.load_selection()
    loader.load_objectives()
    loader.load_budgets_and_costs()
    loader.load_value_scores()
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
