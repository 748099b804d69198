# ruff: noqa: RUF001  (Ukrainian text: Cyrillic letters that look like Latin ones are meant)
"""Ukrainian translations for the demo: the consultation's draft (title, summary and five of its
nine sections), its first question, and one published position (title, text and two of its three
recommendations). The rest stays English on purpose, so that the demo shows how a reader is told
that a part is only in another language."""

from __future__ import annotations

from sqlmodel import col, select

from council.actions import position_translations, translations
from council.db import Database
from council.models import Consultation, Position, User
from council.queries import consultations as cq
from council.queries import positions as pq

TITLE = "Національний механізм перенаправлення осіб, які постраждали від торгівлі людьми"
SUMMARY = (
    "Як поліція та інші служби мають розпізнавати людей, які могли постраждати від торгівлі "
    "людьми, без жодних умов направляти їх до служб підтримки та захищати, поки вони "
    "вирішують, що робити далі."
)
# By the English heading of each translated section: heading, text, content warning.
SECTIONS = {
    "Purpose": (
        "Мета",
        "Ця політика визначає, як людей, які могли постраждати від торгівлі людьми, виявляють, "
        "направляють до служб підтримки та захищають, поки розглядається їхня справа.",
        "",
    ),
    "Who this policy is for": (
        "Для кого ця політика",
        "Для поліцейських, прикордонників, інспекторів праці, соціальних працівників і "
        "громадських організацій, які з ними співпрацюють.",
        "",
    ),
    "Identifying a possible survivor": (
        "Як розпізнати можливу постраждалу особу",
        "Посадова особа, яка помітила **ознаки торгівлі людьми**, має направити людину до служб "
        "підтримки протягом 24 годин і не може ставити підтримку в залежність від заяви до "
        "поліції.\n\n- ознаки контролю з боку іншої людини\n- борги перед роботодавцем або "
        "вербувальником\n- документи людини зберігає хтось інший\n- страх перед органами влади",
        "",
    ),
    "What happened to survivors: case examples": (
        "Що сталося з постраждалими: приклади випадків",
        "Ці приклади описують експлуатацію, насильство й погрози так, як про них розповіли "
        "постраждалі, щоб посадові особи вміли їх розпізнати.\n\nЖінку, яку завербували на "
        "роботу в кафе за кордоном, після приїзду позбавили паспорта й сказали, що вона винна "
        "вербувальникові гроші за дорогу.",
        "насильство та експлуатація",
    ),
    "The reflection period": (
        "Період для роздумів",
        "Можлива постраждала особа має щонайменше 90 днів, щоб відновитися й без тиску "
        "вирішити, чи співпрацювати з поліцією.",
        "",
    ),
}
QUESTIONS = {
    "Is a reflection period of 90 days long enough?": (
        "Чи достатньо 90 днів для періоду роздумів?",
        ["Так", "Ні, він має бути довшим", "Важко сказати"],
    ),
}
POSITION = "Safe housing for survivors outside the capital"
POSITION_UK = (
    "Безпечне житло для постраждалих за межами столиці",
    "Більшість притулків розташовані в столиці. Постраждалі, яких виявили в інших регіонах, "
    "днями чекають на місце — часто у відділках поліції.",
)
RECOMMENDATIONS = {
    1: "Фінансувати щонайменше один безпечний притулок у кожному регіоні.",
    2: "Дати постраждалим змогу обрати притулок, який утримує громадська організація, а не "
    "держава.",
}


def load(db: Database) -> None:
    with db.write() as session:
        official = session.execute(select(User).where(User.name == "official1")).scalar_one()
        secretary = session.execute(select(User).where(User.name == "secretariat1")).scalar_one()
        consultation = session.execute(select(Consultation).order_by(col(Consultation.id))).scalar()
        assert consultation is not None
        page = cq.consultation_page(session, consultation.require_id)
        assert page is not None
        translations.translate_version(
            session,
            official,
            page.version.require_id,
            "uk",
            head=translations.VersionText(TITLE, SUMMARY),
            sections={
                s.require_id: translations.SectionText(*SECTIONS[s.heading])
                for s in page.sections
                if s.heading in SECTIONS
            },
        )
        translations.translate_questions(
            session,
            official,
            consultation.require_id,
            "uk",
            {
                q.require_id: translations.QuestionText(*QUESTIONS[q.text])
                for q in page.questions
                if q.text in QUESTIONS
            },
        )
        position = session.execute(select(Position).where(Position.title == POSITION)).scalar_one()
        position_translations.translate_position(
            session,
            secretary,
            position.require_id,
            "uk",
            head=translations.PositionText(*POSITION_UK),
            recommendations={
                r.require_id: RECOMMENDATIONS[r.number]
                for r in pq.recommendations_of(session, position.require_id)
                if r.number in RECOMMENDATIONS
            },
        )
