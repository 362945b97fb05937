"""Fill empty Dutch translations in locale/nl from the table below, then compile.

Run after ``manage.py makemessages -l nl``: ``python -m devtools.fill_nl``. Entries that
already have a translation keep it; entries missing here are listed so none slip by.
"""

import re
import subprocess
import sys
from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "locale" / "nl" / "LC_MESSAGES" / "django.po"

DUTCH: dict[str, str | tuple[str, str]] = {
    "Dutch": "Nederlands",
    "English": "Engels",
    "Accounts": "Accounts",
    "email address": "e-mailadres",
    "user": "gebruiker",
    "users": "gebruikers",
    "Provinces and regions": "Provincies en regio's",
    "name": "naam",
    "province": "provincie",
    "provinces": "provincies",
    "Log out": "Afmelden",
    "Log in": "Aanmelden",
    "Language": "Taal",
    "Student administration and tracking for special and practical secondary education.": (
        "Leerlingadministratie en leerlingvolgsysteem voor speciaal onderwijs en praktijkonderwijs."
    ),
    "Schools sign in on their own address. Presentis staff use the back office.": (
        "Scholen melden zich aan op hun eigen adres. Medewerkers van Presentis gebruiken "
        "de beheeromgeving."
    ),
    "Back office": "Beheeromgeving",
    "Your username and password did not match. Please try again.": (
        "Gebruikersnaam en wachtwoord komen niet overeen. Probeer het opnieuw."
    ),
    "Username": "Gebruikersnaam",
    "Password": "Wachtwoord",
    "Your password has been set": "Je wachtwoord is ingesteld",
    "Choose a password": "Kies een wachtwoord",
    "Save password": "Wachtwoord opslaan",
    "This link is no longer valid. Ask your school administrator for a new one.": (
        "Deze link is niet meer geldig. Vraag de beheerder van je school om een nieuwe."
    ),
    "Welcome to %(name)s": "Welkom bij %(name)s",
    "Locations": "Locaties",
    "Location": "Locatie",
    "Students": "Leerlingen",
    "Groups": "Groepen",
    "No locations yet.": "Nog geen locaties.",
    "Search by name or number": "Zoek op naam of nummer",
    "Search": "Zoeken",
    "Name": "Naam",
    "Number": "Nummer",
    "No students found.": "Geen leerlingen gevonden.",
    "Welcome to Presentis.": "Welkom bij Presentis.",
    "An environment has been created for your school. Choose your password with this link:": (
        "Er is een omgeving voor je school aangemaakt. Kies je wachtwoord via deze link:"
    ),
    "Your username is": "Je gebruikersnaam is",
    "This school's environment is closed": "De omgeving van deze school is gesloten",
    "Presentis is not available for this school at the moment. Please contact your school "
    "administrator.": (
        "Presentis is op dit moment niet beschikbaar voor deze school. Neem contact op met de "
        "beheerder van je school."
    ),
    "School not found": "School niet gevonden",
    "There is no school at this address. Check the address, or ask your school for the right "
    "one.": (
        "Op dit adres is geen school te vinden. Controleer het adres of vraag je school om het "
        "juiste adres."
    ),
    "School": "School",
    "street and number": "straat en huisnummer",
    "postal code": "postcode",
    "city": "plaats",
    "location": "locatie",
    "locations": "locaties",
    "year": "leerjaar",
    "group": "groep",
    "groups": "groepen",
    "first name": "voornaam",
    "preferred name": "roepnaam",
    "prefix": "tussenvoegsel",
    "last name": "achternaam",
    "date of birth": "geboortedatum",
    "BSN": "BSN",
    "student number": "leerlingnummer",
    "street": "straat",
    "house number": "huisnummer",
    "enrolled on": "ingeschreven op",
    "deregistered on": "uitgeschreven op",
    "student": "leerling",
    "students": "leerlingen",
    "start date": "begindatum",
    "end date": "einddatum",
    "guest": "gast",
    "group membership": "groepslidmaatschap",
    "group memberships": "groepslidmaatschappen",
    "e-mail address": "e-mailadres",
    "role": "rol",
    "staff member": "medewerker",
    "staff members": "medewerkers",
    "This is not a valid BSN (eleven test).": "Dit is geen geldig BSN (elfproef).",
    "domain": "domein",
    "For example delinde.presentis.nl": "Bijvoorbeeld delinde.presentis.nl",
    "username of the first administrator": "gebruikersnaam van de eerste beheerder",
    "e-mail address of the first administrator": "e-mailadres van de eerste beheerder",
    "contact person": "contactpersoon",
    "e-mail address of the contact": "e-mailadres van de contactpersoon",
    "Suspend the selected schools": "Geselecteerde scholen opschorten",
    "Reactivate the selected schools": "Geselecteerde scholen weer activeren",
    "%(count)d school is now %(status)s.": (
        "%(count)d school is nu %(status)s.",
        "%(count)d scholen zijn nu %(status)s.",
    ),
    "Schools": "Scholen",
    "A BRIN code is two digits followed by two capital letters.": (
        "Een BRIN-code bestaat uit twee cijfers gevolgd door twee hoofdletters."
    ),
    "A branch number is two digits.": "Een vestigingsnummer bestaat uit twee cijfers.",
    "Onboarding": "In voorbereiding",
    "Active": "Actief",
    "Suspended": "Opgeschort",
    "BRIN": "BRIN",
    "branch number": "vestigingsnummer",
    "status": "status",
    "created at": "aangemaakt op",
    "school": "school",
    "schools": "scholen",
    "domains": "domeinen",
    "phone": "telefoon",
    "contact persons": "contactpersonen",
    "progress": "voortgang",
    "estimated end": "verwacht einde",
    "Maintenance": "Onderhoud",
    "Planned": "Gepland",
    "Announced": "Aangekondigd",
    "Running": "Bezig",
    "Done": "Klaar",
    "Failed": "Mislukt",
    "Missed": "Gemist",
    "planned start": "gepland begin",
    "planned end": "gepland einde",
    "announce from": "aankondigen vanaf",
    "release": "release",
    "message (Dutch)": "bericht (Nederlands)",
    "message (English)": "bericht (Engels)",
    "emergency window": "spoedvenster",
    "claimed by": "gestart door",
    "started at": "begonnen om",
    "finished at": "klaar om",
    "schools to migrate": "bij te werken scholen",
    "error": "fout",
    "maintenance window": "onderhoudsvenster",
    "maintenance windows": "onderhoudsvensters",
    "Waiting": "Wacht",
    "Migrating": "Wordt bijgewerkt",
    "Deferred to the next window": "Uitgesteld tot het volgende venster",
    "down at": "offline om",
    "up at": "weer online om",
    "migrations applied": "uitgevoerde migraties",
    "attempts": "pogingen",
    "school run": "schoolrun",
    "school runs": "schoolruns",
    "All schools": "Alle scholen",
    "Some schools": "Enkele scholen",
    "Some roles": "Enkele rollen",
    "title (Dutch)": "titel (Nederlands)",
    "title (English)": "titel (Engels)",
    "audience": "doelgroep",
    "roles": "rollen",
    "Comma-separated role names.": "Rolnamen, gescheiden door komma's.",
    "shown from": "zichtbaar vanaf",
    "shown until": "zichtbaar tot",
    "notice": "melding",
    "notices": "meldingen",
    "Hide this notice": "Deze melding verbergen",
    "Hide": "Verbergen",
    "Presentis is being updated": "Presentis wordt bijgewerkt",
    "The environment of %(name)s is temporarily unavailable while we install an update.": (
        "De omgeving van %(name)s is tijdelijk niet beschikbaar omdat we een update installeren."
    ),
    "Please try again in about a minute.": (
        "Probeer het over ongeveer een minuut opnieuw.",
        "Probeer het over ongeveer %(minutes)s minuten opnieuw.",
    ),
    "in maintenance until": "in onderhoud tot",
    "Retry the migration of the selected schools now": (
        "Migratie van de geselecteerde scholen nu opnieuw proberen"
    ),
    "Meetings and trainings": "Bijeenkomsten en trainingen",
}

ENTRY = re.compile(
    r'msgid ((?:"(?:[^"\\]|\\.)*"\s*)+)(msgid_plural ((?:"(?:[^"\\]|\\.)*"\s*)+))?'
    r'((?:msgstr(?:\[\d\])? (?:"(?:[^"\\]|\\.)*"\s*)+)+)'
)


def _join(quoted: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', quoted))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> int:
    """Fill, report what is missing, and compile the catalogue."""
    text = PO.read_text()
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        msgid = _join(match.group(1)).replace('\\"', '"')
        if not msgid or any(
            _join(s) for s in re.findall(r"msgstr(?:\[\d\])? (.*)", match.group(4))
        ):
            return match.group(0)
        dutch = DUTCH.get(msgid)
        if dutch is None:
            missing.append(msgid)
            return match.group(0)
        head = match.group(0)[: match.start(4) - match.start(0)]
        if isinstance(dutch, tuple):
            return head + f"msgstr[0] {_quote(dutch[0])}\nmsgstr[1] {_quote(dutch[1])}\n\n"
        return head + f"msgstr {_quote(dutch)}\n\n"

    PO.write_text(ENTRY.sub(fill, text))
    for msgid in missing:
        print(f"no Dutch translation for: {msgid}", file=sys.stderr)
    subprocess.run([sys.executable, "manage.py", "compilemessages", "--ignore=.venv"], check=True)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
