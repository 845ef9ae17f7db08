"""Fictional demo data for `make run`: demo users and some fifty invented cases.

Every name here is invented. Data is built through the real services, so each demo
record has its audit trail, just as a real one would. The command is idempotent and
resumable: it counts the demo cases already there and only adds the missing ones.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from accounts.factors import enrolment_link_issue
from accounts.otp import is_enrolled
from accounts.roles import ADMIN, CASEWORKER, LEGAL, second_factor_required
from audit import actions
from audit.services import audit_record
from cases import access, services
from cases.models import Case
from config.env import env_str

DEMO_USERS = (
    # username, role group, first name, last name, staff
    ("caseworker1", CASEWORKER, "Amina", "Demo", False),
    ("caseworker2", CASEWORKER, "Viktor", "Demo", False),
    ("legal1", LEGAL, "Lola", "Demo", False),
    ("admin1", ADMIN, "Arman", "Demo", True),
)
DEMO_CASEWORKERS = ("caseworker1", "caseworker2")
SEED = 20250101

# (Latin, Cyrillic) first names and surnames by nationality, invented combinations.
FIRST_NAMES = {
    "UZ": [("Dilshod", "Дилшод"), ("Jasur", "Жасур"), ("Sherzod", "Шерзод"), ("Bekzod", "Бекзод"), ("Otabek", "Отабек"),
           ("Ulugbek", "Улугбек"), ("Sardor", "Сардор"), ("Nodir", "Нодир"), ("Bakhodir", "Баходир"), ("Zafar", "Зафар")],
    "TJ": [("Farrukh", "Фаррух"), ("Firdavs", "Фирдавс"), ("Sukhrob", "Сухроб"), ("Daler", "Далер"), ("Parviz", "Парвиз"),
           ("Khurshed", "Хуршед"), ("Umed", "Умед"), ("Jamshed", "Джамшед"), ("Komron", "Комрон"), ("Behruz", "Бехруз")],
    "KG": [("Azamat", "Азамат"), ("Bakyt", "Бакыт"), ("Nurbek", "Нурбек"), ("Kanat", "Канат"), ("Ulan", "Улан"),
           ("Eldiyar", "Элдияр"), ("Temirlan", "Темирлан"), ("Chyngyz", "Чынгыз")],
    "KZ": [("Yerlan", "Ерлан"), ("Daulet", "Даулет"), ("Nurlan", "Нурлан"), ("Askar", "Аскар"), ("Beibit", "Бейбит"),
           ("Rustam", "Рустам"), ("Zhandos", "Жандос"), ("Arman", "Арман")],
    "TM": [("Merdan", "Мердан"), ("Batyr", "Батыр"), ("Dovlet", "Довлет")],
    "XX": [("Timur", "Тимур"), ("Anvar", "Анвар"), ("Ravshan", "Равшан")],
}
SURNAMES = {
    "UZ": [("Karimov", "Каримов"), ("Rakhimov", "Рахимов"), ("Tursunov", "Турсунов"), ("Yusupov", "Юсупов"),
           ("Ergashev", "Эргашев"), ("Khasanov", "Хасанов"), ("Mirzaev", "Мирзаев"), ("Sobirov", "Собиров")],
    "TJ": [("Saidov", "Саидов"), ("Rahmonov", "Рахмонов"), ("Sharipov", "Шарипов"), ("Davlatov", "Давлатов"),
           ("Qodirov", "Кодиров"), ("Safarov", "Сафаров"), ("Nazarov", "Назаров")],
    "KG": [("Asanov", "Асанов"), ("Mamatov", "Маматов"), ("Osmonov", "Осмонов"), ("Zhumabaev", "Жумабаев"), ("Toktorov", "Токторов")],
    "KZ": [("Nurlanov", "Нурланов"), ("Akhmetov", "Ахметов"), ("Serikbaev", "Серикбаев"), ("Omarov", "Омаров"), ("Zhaksybekov", "Жаксыбеков")],
    "TM": [("Berdiev", "Бердиев"), ("Ovezov", "Овезов")],
    "XX": [("Aliev", "Алиев"), ("Gasanov", "Гасанов")],
}
RELATIVES = [("Nodira", "mother"), ("Malika", "sister"), ("Gulnara", "mother"), ("Dilnoza", "spouse"), ("Aigerim", "sister"),
             ("Zarina", "spouse"), ("Saodat", "mother"), ("Mavluda", "sister")]
BROTHERS = [("Akmal", "brother"), ("Ilkhom", "twin"), ("Bobur", "brother")]
HOME_REGIONS = {
    "UZ": ["Fergana", "Samarkand", "Andijan", "Kashkadarya"], "TJ": ["Khatlon", "Sughd", "Rasht valley"],
    "KG": ["Osh", "Jalal-Abad", "Naryn"], "KZ": ["Turkistan", "Almaty region", "Zhambyl"], "TM": ["Lebap", "Mary"], "XX": [""],
}
# Forty-eight cases: the four main nationalities and a few others.
NATIONALITY_PLAN = ["UZ"] * 13 + ["TJ"] * 13 + ["KG"] * 9 + ["KZ"] * 8 + ["TM"] * 3 + ["XX"] * 2

LOCATIONS = [
    {"name": "SIZO-1", "kind": "facility", "facility_type": "sizo", "city": "Yekaterinburg", "region": "Sverdlovsk region"},
    {"name": "SIZO-3", "kind": "facility", "facility_type": "sizo", "city": "Kazan", "region": "Tatarstan"},
    {"name": "SIZO-5", "kind": "facility", "facility_type": "sizo", "city": "Moscow", "region": "Moscow"},
    {"name": "Police station No. 12", "kind": "facility", "facility_type": "police", "city": "Moscow", "region": "Moscow"},
    {"name": "Police department, Industrial district", "kind": "facility", "facility_type": "police", "city": "Novosibirsk", "region": "Novosibirsk region"},
    {"name": "Penal colony IK-4", "kind": "facility", "facility_type": "colony", "city": "", "region": "Ryazan region"},
    {"name": "Temporary detention centre for foreign nationals", "kind": "facility", "facility_type": "migration", "city": "", "region": "Moscow region"},
    {"name": "Contract service selection point", "kind": "facility", "facility_type": "recruitment", "city": "Moscow", "region": "Moscow"},
    {"name": "Military recruitment point", "kind": "facility", "facility_type": "recruitment", "city": "Rostov-on-Don", "region": "Rostov region"},
    {"name": "Training ground", "kind": "facility", "facility_type": "military", "city": "", "region": "Belgorod region"},
    {"name": "Military hospital", "kind": "facility", "facility_type": "military", "city": "Rostov-on-Don", "region": "Rostov region"},
    {"name": "Construction site market", "kind": "city", "facility_type": "", "city": "St Petersburg", "region": "St Petersburg"},
]
PERPETRATORS = [
    {"kind": "institution", "name": "Police station No. 12, Moscow"},
    {"kind": "institution", "name": "SIZO-1 administration, Yekaterinburg"},
    {"kind": "institution", "name": "Penal colony IK-4 administration"},
    {"kind": "institution", "name": "Contract service selection point, Moscow"},
    {"kind": "institution", "name": "Migration police raid team"},
    {"kind": "unit", "name": "Storm-V detachment (fictional)"},
    {"kind": "unit", "name": "Assault company 7 (fictional)"},
    {"kind": "official", "name": "Petrovsky", "rank": "Major"},
    {"kind": "official", "name": "Sidorenko", "rank": "Captain"},
    {"kind": "official", "name": "Orlovsky", "rank": "Lieutenant Colonel"},
    {"kind": "unknown", "name": "Unidentified recruiter in civilian clothes"},
]
PATHWAY_LOCATIONS = {"prison": [0, 1, 2, 5], "migrant_raid": [3, 4, 6, 11], "deportation": [6, 3], "debt": [3, 4],
                     "citizenship": [7, 8], "advert": [7, 8], "unknown": [3, 0]}
OUTCOMES = ["injury", "death", "missing", "charges_home", "ill_treatment", "injury", "missing"]
STATUS_IN_RUSSIA = {"prison": "detainee", "migrant_raid": "migrant", "deportation": "migrant", "debt": "migrant",
                    "citizenship": "migrant", "advert": "student", "unknown": "unknown"}
WHEREABOUTS = {"injury": "hospital", "death": "dead", "missing": "missing", "charges_home": "front", "ill_treatment": "detention"}


@dataclass
class DemoCase:
    person: dict
    case: dict
    contacts: list
    events: list = field(default_factory=list)  # (data, location index, perpetrator indices, source indices)
    sources: list = field(default_factory=list)
    consent: dict | None = None
    creator: str = "caseworker1"


def _date(rng: random.Random, start: datetime.date, days: int) -> datetime.date:
    return min(start + datetime.timedelta(days=rng.randint(0, days)), datetime.date.today() - datetime.timedelta(days=1))


def _dated(rng, when: datetime.date, *, allow_unknown=True, allow_year=True) -> dict:
    roll = rng.random()
    if roll < 0.55:
        return {"date": when, "date_precision": "day"}
    if roll < 0.75:
        return {"date": when.replace(day=1), "date_precision": "month"}
    if roll < 0.88:
        return {"date": when.replace(day=1), "date_precision": "approximate"}
    if roll < 0.95 or not allow_unknown:
        if not allow_year:  # a bare year sorts to 1 January, ahead of the events it followed
            return {"date": when, "date_precision": "day"}
        return {"date": when.replace(month=1, day=1), "date_precision": "year"}
    return {"date": None, "date_precision": "unknown"}


def _variant(latin: str) -> str:
    """A transliteration variant, as names are spelled in Russian documents."""
    for old, new in (("kh", "h"), ("J", "Dzh"), ("Yu", "Iu"), ("Zh", "J"), ("q", "k"), ("iev", "iyev"), ("ev", "yev"), ("ov", "off")):
        if old in latin:
            return latin.replace(old, new, 1)
    return ""


PATHWAYS = ["prison", "migrant_raid", "debt", "citizenship", "advert", "deportation", "unknown"]
COERCION_MEANS = {"prison": "prosecution", "migrant_raid": "deportation", "deportation": "deportation", "debt": "debt",
                  "citizenship": "pay_citizenship", "advert": "pay_citizenship", "unknown": "documents"}


def build_plan() -> list[DemoCase]:
    """The whole demo, decided up front from a fixed seed, so that a resumed run adds the same cases.

    Each part draws from one random generator in a fixed order: reordering the calls below changes the demo.
    """
    rng = random.Random(SEED)
    plan = []
    for index, nationality in enumerate(NATIONALITY_PLAN):
        pathway, outcome = PATHWAYS[index % len(PATHWAYS)], OUTCOMES[index % len(OUTCOMES)]
        person, last = _plan_person(rng, nationality, pathway)
        contact, relationship = _plan_contact(rng, index, last)
        demo = DemoCase(person=person, case=_plan_case(rng, pathway, outcome), contacts=[contact], creator=DEMO_CASEWORKERS[index % 2])
        demo.sources = _plan_sources(rng, relationship, outcome)
        _PlannedTimeline(rng, demo, start=_date(rng, datetime.date(2023, 1, 1), 600)).fill(pathway, outcome)
        if rng.random() < 0.8:
            demo.consent = _plan_consent(rng)
        plan.append(demo)
    return plan


def _plan_person(rng, nationality: str, pathway: str) -> tuple[dict, str]:
    first, first_cyr = rng.choice(FIRST_NAMES[nationality])
    last, last_cyr = rng.choice(SURNAMES[nationality])
    born = datetime.date(rng.randint(1975, 2003), rng.randint(1, 12), rng.randint(1, 28))
    birth = rng.choice([{"birth_date": born, "birth_date_precision": "day"}, {"birth_date": born.replace(month=1, day=1), "birth_date_precision": "year"},
                        {"birth_date": None, "birth_date_precision": "unknown"}])
    person = {
        "name_latin": f"{first} {last}",
        "name_cyrillic": f"{first_cyr} {last_cyr}" if rng.random() < 0.85 else "",
        "aliases": _variant(f"{first} {last}") if rng.random() < 0.5 else "",
        "sex": "m",
        "nationality": nationality,
        "status_in_russia": STATUS_IN_RUSSIA[pathway],
        "home_region": rng.choice(HOME_REGIONS[nationality]),
        **birth,
    }
    return person, last


def _plan_contact(rng, index: int, last: str) -> tuple[dict, str]:
    relative, relationship = rng.choice(RELATIVES if rng.random() < 0.8 else BROTHERS)
    relative_surname = last + ("a" if relationship not in ("brother", "twin") else "")
    contact = {
        "name": f"{relative} {relative_surname}",
        "relationship": relationship,
        "relationship_detail": "twin brother" if relationship == "twin" else "",
        "is_reporter": True,
        "messenger": f"@{relative.lower()}_{index:02d}",
        "safe_contact_notes": rng.choice(["Write first; calls only after 20:00 local time.", "Do not call: the family's phone may be checked.",
                                          "Reach through the neighbour's number.", ""]),
        "consents_to_contact": rng.random() < 0.8,
    }
    return contact, relationship


def _plan_case(rng, pathway: str, outcome: str) -> dict:
    return {
        "status": rng.choice(["intake", "active", "active", "active", "referred", "closed"]),
        "pathway": pathway,
        "whereabouts": WHEREABOUTS[outcome],
        "risk_family_charges": outcome == "charges_home" or rng.random() < 0.15,
        "risk_reprisal": rng.random() < 0.2,
        "risk_urgent_medical": outcome == "injury" and rng.random() < 0.5,
        "notes": "Fictional demo case. Nothing here is about a real person.",
    }


def _plan_sources(rng, relationship: str, outcome: str) -> list[dict]:
    sources = [
        {"kind": "family", "title": f"Call from the {relationship}", "reliability": "reliable", "contact": 0,
         "received_on": _date(rng, datetime.date(2024, 6, 1), 300)},
    ]
    if rng.random() < 0.5:
        sources.append({"kind": rng.choice(["media", "official_list", "document"]), "title": "Published list of the dead" if outcome == "death" else "News report",
                        "reliability": rng.choice(["unverified", "confirmed"]), "url": "https://example.org/report"})
    return sources


def _plan_consent(rng) -> dict:
    return {
        "given_by": "contact", "contact": 0, "documentation": True, "share_lawyers": rng.random() < 0.8,
        "share_un": rng.random() < 0.4, "share_partners": rng.random() < 0.5, "publication": rng.random() < 0.2,
        "statistics": True, "given_on": _date(rng, datetime.date(2024, 6, 1), 300), "method": rng.choice(["verbal", "message", "recorded"]),
    }


class _PlannedTimeline:
    """A demo case's events, each some days after the one before."""

    def __init__(self, rng, demo: DemoCase, *, start: datetime.date):
        self.rng, self.demo, self.start, self.step = rng, demo, start, 0

    def event(self, type_, *, place=None, perpetrators=(), extra=None, allow_unknown=True):
        rng = self.rng
        self.step += 1
        when = min(self.start + datetime.timedelta(days=self.step * rng.randint(5, 25)), datetime.date.today() - datetime.timedelta(days=1))
        data = {"type": type_, **_dated(rng, when, allow_unknown=allow_unknown, allow_year=self.step == 1), "description": "", **(extra or {})}
        sources = [0] if rng.random() < 0.7 else list(range(len(self.demo.sources)))
        self.demo.events.append((data, place, list(perpetrators), sources))

    def fill(self, pathway: str, outcome: str) -> None:
        rng, event, places = self.rng, self.event, PATHWAY_LOCATIONS[pathway]
        if pathway in ("prison", "migrant_raid", "deportation", "debt"):
            event("detention", place=places[0], perpetrators=[0 if pathway != "prison" else 1],
                  extra={"description": "Held after a document check; no interpreter was provided."}, allow_unknown=False)
        event("recruitment", place=rng.choice([7, 8, places[-1]]), perpetrators=[rng.choice([3, 7, 10])],
              extra={"description": "Approached by a recruiter who offered a contract."})
        event("coercion", perpetrators=[rng.choice([7, 8, 9])], extra={"coercion_means": COERCION_MEANS[pathway],
              "description": "Told that refusing would mean a long sentence or expulsion."})
        event("contract", place=rng.choice([7, 8]), extra={
            "signing_authority": "Ministry of Defence", "unit": rng.choice(["Storm-V detachment", "Motor rifle regiment (fictional)"]),
            "contract_term_months": rng.choice([6, 12]), "promised_pay": rng.choice(["200,000 roubles a month", "Russian citizenship and 195,000 roubles"])})
        event("deployment", place=9, perpetrators=[rng.choice([5, 6])])
        event("family_contact", extra={"contact_channel": rng.choice(["phone", "messenger"]), "contact_with": 0,
                                       "what_was_said": "Said he was being sent forward and asked the family not to worry."})
        outcome_extra = {"death": "Name appeared in a published list.", "missing": "No contact since the assault.",
                         "charges_home": "Police at home questioned the family about mercenary activity."}.get(outcome, "")
        event(outcome, place=10 if outcome == "injury" else None, perpetrators=[2] if outcome == "ill_treatment" else [],
              extra={"description": outcome_extra})


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Create fictional demo users (caseworker1, caseworker2, legal1, admin1) and demo cases. Safe to run twice.")

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="the address the site is served at (printed)")
        parser.add_argument("--allow-demo", action="store_true",
                            help="seed although DALIL_DEBUG is off (demo users with a published password: never in production)")

    def handle(self, *args, **options):
        if not (settings.DEBUG or options["allow_demo"]):
            raise CommandError(_(
                "seed_demo makes users with a published password. It runs only with DALIL_DEBUG=true, or with "
                "--allow-demo on a machine that is not production."
            ))
        password = settings.DALIL_DEMO_PASSWORD
        users = self._users(password)
        plan = build_plan()
        creators = [users[name] for name in DEMO_CASEWORKERS]
        existing = Case.objects.filter(created_by__in=creators).count()
        if existing >= len(plan):
            self.stdout.write(_("Demo data already present."))
        else:
            if connection.vendor == "sqlite" and not connection.in_atomic_block:
                # Demo rows are disposable and the run resumes where it stopped, so they are not
                # worth an fsync per transaction (most of the run's time on a busy disk).
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA synchronous = OFF")
            locations = [services.location_create(actor=creators[0], data=data) for data in LOCATIONS]
            perpetrators = [services.perpetrator_create(actor=creators[0], data=data) for data in PERPETRATORS]
            for demo in plan[existing:]:
                self._create(demo, users[demo.creator], locations, perpetrators)
            _record_seeded(cases=len(plan) - existing)
            self.stdout.write(self.style.SUCCESS(_("Created %(count)s demo cases.") % {"count": len(plan) - existing}))
        _share_demo_cases(users, creators)
        self._print_logins(password, options["url"])
        self._print_enrolment_links(users, options["url"])

    def _users(self, password: str) -> dict:
        User = get_user_model()
        users = {}
        # One hash for the four demo accounts: they share a published password, and each
        # Argon2 hash costs about half a second.
        hashed = None
        for username, role, first, last, staff in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.invalid", "is_staff": staff}
            )
            if created or (user.password != hashed and not user.check_password(password)):
                hashed = hashed or make_password(password)
                user.password = hashed
                user.save(update_fields=["password"])
            else:
                hashed = hashed or user.password
            group = Group.objects.filter(name=role).first()
            if group is not None:
                user.groups.add(group)
            users[username] = user
        return users

    def _create(self, demo: DemoCase, actor, locations, perpetrators) -> Case:
        case = services.case_create(actor=actor, person=demo.person, case=demo.case, contacts=demo.contacts)
        contacts = list(case.contacts.order_by("created_at"))
        sources = []
        for data in demo.sources:
            data = {**data, "contact": contacts[data["contact"]] if "contact" in data else None}
            sources.append(services.source_add(actor=actor, case=case, data=data))
        for data, place, perpetrator_ids, source_ids in demo.events:
            data = {**data, "location": locations[place] if place is not None else None}
            if "contact_with" in data:
                data["contact_with"] = contacts[data["contact_with"]]
            services.event_add(
                actor=actor, case=case, data=data,
                perpetrators=[perpetrators[i] for i in perpetrator_ids], sources=[sources[i] for i in source_ids],
            )
        if demo.consent:
            services.consent_record(actor=actor, case=case, data={**demo.consent, "contact": contacts[demo.consent["contact"]]})
        return case

    def _print_logins(self, password: str, url: str) -> None:
        source = "DALIL_DEMO_PASSWORD" if env_str("DALIL_DEMO_PASSWORD") is not None else _("the default; set DALIL_DEMO_PASSWORD to change it")
        self.stdout.write("")
        self.stdout.write(_("Demo logins (fictional data only):"))
        for username, role, *_rest in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {role:<11} " + _("password: %(password)s") % {"password": password})
        self.stdout.write("  " + _("(password from %(source)s)") % {"source": source})
        self.stdout.write(_("Sign in at %(url)s") % {"url": url.rstrip("/") + "/accounts/login/"})

    def _print_enrolment_links(self, users: dict, url: str) -> None:
        """A first second factor is set up only from a one-time link an admin issues: the demo issues them."""
        needing = [u for u in users.values() if second_factor_required(u) and not is_enrolled(u)]
        if not needing:
            return
        self.stdout.write(_("These users must set up a second factor first. Sign in as them, then open their one-time link:"))
        for user in needing:
            path = enrolment_link_issue(actor=None, user=user)
            self.stdout.write(f"  {user.get_username():<12} {url.rstrip('/')}{path}")


def _share_demo_cases(users: dict, creators: list) -> None:
    """The access model at work: caseworker1 and caseworker2 each own half the cases (their creator),
    a few are shared between them, some are shared with legal1, and a few are sensitive (named
    assignees only). Granting through cases.access is idempotent, so a second run changes nothing."""
    admin = users["admin1"]
    for index, case in enumerate(Case.objects.filter(created_by__in=creators).order_by("reference")):
        owner, other = (users["caseworker1"], users["caseworker2"]) if case.created_by_id == users["caseworker1"].pk else (users["caseworker2"], users["caseworker1"])
        sensitive = index % 12 == 5
        if sensitive:
            access.case_set_sensitive(actor=admin, case=case, sensitive=True)
        elif index % 8 == 0:
            access.case_assign(actor=admin, user=other, cases=[case])
        if index % 4 == 1:
            access.case_share_with_legal(actor=owner, case=case, user=users["legal1"])


@transaction.atomic(durable=True)
def _record_seeded(*, cases: int) -> None:
    audit_record(actor=None, action=actions.DEMO_SEEDED, system="seed_demo", data={"cases": cases})
