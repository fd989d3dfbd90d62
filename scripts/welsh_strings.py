"""Fill core/translations/cy/LC_MESSAGES/messages.po with the Welsh strings kept here, then compile.

Run after ``pybabel extract``/``pybabel update`` (docs/residents-site.md). Only the key strings of the
residents' site are translated (layout, navigation, headings, buttons, common labels); everything
else falls back to English. These translations want checking by a Welsh speaker before go-live.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

WELSH = {
    "Home": "Hafan",
    "Have your say": "Dweud eich dweud",
    "You said, we did": "Dywedoch chi, gwnaethom ni",
    "Events": "Digwyddiadau",
    "Get involved": "Cymryd rhan",
    "Reports": "Adroddiadau",
    "Skip to main content": "Neidio i'r prif gynnwys",
    "Residents' site": "Gwefan preswylwyr",
    "Menu": "Dewislen",
    "Larger text": "Testun mwy",
    "Standard text size": "Maint testun safonol",
    "Language and text size": "Iaith a maint testun",
    "There is a problem": "Mae problem wedi codi",
    "Error:": "Gwall:",
    "Closes on %(date)s": "Yn cau ar %(date)s",
    "Open until %(date)s.": "Ar agor tan %(date)s.",
    "All open consultations": "Pob ymgynghoriad agored",
    "All events": "Pob digwyddiad",
    "Your answer": "Eich ateb",
    "Send my answer": "Anfon fy ateb",
    "Answer received": "Ateb wedi dod i law",
    "Send": "Anfon",
    "Phone:": "Ffôn:",
    "Email:": "E-bost:",
    "Address:": "Cyfeiriad:",
    "Website:": "Gwefan:",
    "Contact %(name)s": "Cysylltu â %(name)s",
    "Impact assessments": "Asesiadau effaith",
    "What's on": "Beth sy'n digwydd",
    "Ask to get involved": "Gofyn am gael cymryd rhan",
    "First name": "Enw cyntaf",
    "Last name": "Cyfenw",
    "Email address": "Cyfeiriad e-bost",
    "Phone number": "Rhif ffôn",
    "Address": "Cyfeiriad",
    "Prefer not to say": "Mae'n well gen i beidio â dweud",
    "Thank you": "Diolch",
    "Back to the home page": "Yn ôl i'r hafan",
    "Our partners": "Ein partneriaid",
    "When": "Pryd",
    "Where": "Ble",
    "Access": "Mynediad",
    "Download this report as a PDF": "Lawrlwytho'r adroddiad hwn fel PDF",
    "Summary for residents": "Crynodeb i breswylwyr",
    "Request sent": "Cais wedi'i anfon",
    "Equality questions": "Cwestiynau cydraddoldeb",
    "or": "neu",
    "Topic": "Pwnc",
    "All topics": "Pob pwnc",
    "Show feedback": "Dangos adborth",
    "You said": "Dywedoch chi",
    "We did": "Gwnaethom ni",
    "Enter your answer.": "Rhowch eich ateb.",
    "Enter your first name.": "Rhowch eich enw cyntaf.",
    "Enter your last name.": "Rhowch eich cyfenw.",
}

CATALOGUE = Path(__file__).resolve().parent.parent / "core" / "translations" / "cy" / "LC_MESSAGES"


def main() -> None:
    with (CATALOGUE / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="cy")
    for message in catalog:
        if message.id and message.id in WELSH:
            message.string = WELSH[message.id]
    with (CATALOGUE / "messages.po").open("wb") as handle:
        write_po(handle, catalog, width=100)
    with (CATALOGUE / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    print(f"{sum(1 for m in catalog if m.id and m.string)} of {len(catalog) - 1} strings translated")


if __name__ == "__main__":
    main()
