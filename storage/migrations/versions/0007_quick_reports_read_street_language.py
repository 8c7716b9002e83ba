"""quick reports read street language: welfare and theft categories, reviewed keywords,
and when a member's own location was taken

- `duty_sessions.located_at`: when the point on a duty session was shared (with /on, or a
  live location's last update), so a quick report can use it only while it is fresh.
- The default categories reach existing databases: Welfare / medical (urgent) and
  Theft / shoplifting are added unless a category of that slug or name exists, and each
  default category's keywords gain the reviewed street language (an admin's own keywords
  are kept; only keywords this revision moved or dropped from the defaults are removed).
  A new (empty) database gets them whole when seeded at start-up instead. The data is
  frozen here: a migration never imports the code it migrates.
  A welfare category added here is sensitive (0006's column): its descriptions stay out
  of group copies, broadcasts and exports.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _split(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(",") if word.strip())


ADDED: dict[str, tuple[str, ...]] = {
    "suspicious": _split(
        "acting dodgy, shifty, sus, casing, scoping, eyeing up, trying handles, looking in car "
        "windows, looking in windows, keeps driving round, driving round slowly, parked up, "
        "engine running, watching people, unattended, abandoned bag, peering into, peering in, "
        "hanging about, no plates, no number plates, false plates, watching the cashpoint, "
        "watching cars"
    ),
    "drug_dealing": _split(
        "dealing out of, drugs, crack house, trap house, selling spice, charlie, mdma, pills, "
        "doing drops, drops, serving up, nos, nangs, balloons, canisters, coming and going, "
        "selling pills, cannabis smell, small bags, passing bags, dropping off packages"
    ),
    "gang": _split(
        "gangs, rival groups, rival gang, facing off, squaring off, mob, masked up, all in "
        "black, circling, masked, face coverings, face covered"
    ),
    "weapon": _split(
        "bladed, bladed up, pulled a blade, shank, tooled up, tooled, broken bottle, "
        "brandishing, waving a, metal pole, pole, metal bar, iron bar, crowbar, golf club, "
        "wrench"
    ),
    "violence": _split(
        "fite, scrap, scrapping, punch up, swinging punches, jumped by, stamping, pushed her, "
        "pushed him, shoved, domestic, pulling hair, restraining, bottled, battered, getting "
        "violent, slapped, slapping, getting kicked, being kicked, kicked in, kicked on the "
        "floor, bust lip, bust nose, altercation, getting physical, set upon, smacked, decked, "
        "floored, knocked out, knocking seven bells, being hit, hit by, getting hit, hitting"
    ),
    "asb": _split(
        "shouting abuse, abuse, being verbal, gobby, mouthy, lippy, threatening staff, noisy, "
        "blasting music, too loud, busker, lobbing stones, egging, letting off fireworks, "
        "climbing on, kicked off, stag do, revving, motorbikes, off road bikes, music, "
        "chucking, screaming, football, kicking a ball, racing, boy racers, doing donuts"
    ),
    "street_drinking": _split(
        "street drinker, street drinkers, on the cans, necking, swigging, white cider, crate "
        "of, pspo, wine, bottles of, drinking from a can"
    ),
    "drunk_disorderly": _split(
        "steaming drunk, drunk male, drunk man, drunk bloke, drunk woman, drunk lad, wasted, "
        "steaming, plastered, slaughtered, absolutely hammered, absolutely steaming, "
        "absolutely wasted, worse for wear, falling about, throwing up, been refused, cant "
        "stand, so drunk, intoxicated, drunk female"
    ),
    "begging": _split(
        "beggars, asking everyone for change, for change, asking for a quid, sat with a cup, "
        "bus fare, hat out, begging for coins"
    ),
    "rough_sleeping": _split(
        "rough sleepers, sleeping out, sleeping in a car, sleeping in his car, sleeping in her "
        "car, kipping, cotched, bedding down, skipper, tent up, all her bags, all his bags, "
        "set up camp, camping, camped"
    ),
    "criminal_damage": _split(
        "tagged, smashing bottles, snapped, wing mirrors, planters, kicked over, scratched, "
        "set alight, sprayed, window put through, put through, spraying, tags"
    ),
    "safeguarding": _split(
        "lost child, missing teen, care home, taken advantage of, child/little boy/little girl/"
        "toddler/young child/young girl/young boy/young lad/young lads/young person/young "
        "people/youngster/youngsters/teen/teens/teenage/teenager/teenagers/schoolkid/"
        "schoolkids/school kids/schoolgirl/schoolgirls/schoolboy/schoolboys/school uniform/in "
        "uniform/underage/under age/looks young/about 11/about 12/about 13/about 14/about 15/"
        "about 16/aged 12/aged 13/aged 14/aged 15/13 year old/14 year old/15 year old/kid/kids "
        "+ older/older men/older males/older lads/older blokes/adults/adult/grown men/men/in "
        "their 20s/in their 30s, child/little boy/little girl/toddler/young child/young girl/"
        "young boy/young lad/young lads/young person/young people/youngster/youngsters/teen/"
        "teens/teenage/teenager/teenagers/schoolkid/schoolkids/school kids/schoolgirl/"
        "schoolgirls/schoolboy/schoolboys/school uniform/in uniform/underage/under age/looks "
        "young/about 11/about 12/about 13/about 14/about 15/about 16/aged 12/aged 13/aged 14/"
        "aged 15/13 year old/14 year old/15 year old/kid/kids + on his own/on her own/on their "
        "own/alone/by himself/by herself/at night/late at night/midnight/1am/2am/3am/4am/till "
        "late/all night, child/little boy/little girl/toddler/young child/young girl/young boy/"
        "young lad/young lads/young person/young people/youngster/youngsters/teen/teens/"
        "teenage/teenager/teenagers/schoolkid/schoolkids/school kids/schoolgirl/schoolgirls/"
        "schoolboy/schoolboys/school uniform/in uniform/underage/under age/looks young/about "
        "11/about 12/about 13/about 14/about 15/about 16/aged 12/aged 13/aged 14/aged 15/13 "
        "year old/14 year old/15 year old/kid/kids + getting into a car/got into a car/in a "
        "car with/being given/giving her/giving him, girl + older men/older males/in their 20s/"
        "in their 30s"
    ),
    "other": _split(
        "lost dog, stray dog, found a wallet, handing it in, street light, street light out, "
        "lights not working, traffic lights, needle found, needles found, sharps, fly tipping, "
        "pothole, trip hazard"
    ),
}
REMOVED: dict[str, tuple[str, ...]] = {
    "suspicious": _split("following people"),
    "gang": _split("group of lads, group of youths, group of men, youths"),
    "violence": _split("head injury, injured"),
    "drunk_disorderly": _split("out of it, passed out"),
    "safeguarding": _split(
        "children, kid, young girl, young boy, young lad, schoolkid, school kids, school "
        "uniform, looks young, underage, under age, self harm, suicidal, threatening to jump"
    ),
    "other": _split("shoplifting, shoplifter, theft, stolen, pickpocket, pickpocketing"),
}
# (slug, name, urgent, keywords), placed after safeguarding in this order.
NEW_CATEGORIES: tuple[tuple[str, str, bool, tuple[str, ...]], ...] = (
    (
        "welfare",
        "Welfare / medical",
        True,
        _split(
            "welfare, welfare check, medical, collapsed, unconscious, not breathing, not "
            "responding, unresponsive, passed out, cant wake, slumped, not moving, blue lips, "
            "overdose, overdosed, od, fitting, having a fit, seizure, mental health, mental "
            "health crisis, crisis, suicidal, self harm, threatening to jump, on the ledge, "
            "ledge, confused, confused and lost, dementia, had a fall, fallen over, head cut, "
            "head injury, injured, panic attack, hypo, diabetic, spiked, spiced out, spiced "
            "up, lying in the road, hypothermia, ambulance, end it, end it all, end his life, "
            "end her life, kill himself, kill herself, bad trip, distressed, has fallen, "
            "fallen down, cant get up, not making sense, wandering confused, wandering lost, "
            "talking about jumping, going to jump, jump off, jumping off"
        ),
    ),
    (
        "theft",
        "Theft / shoplifting",
        False,
        _split(
            "theft, thief, thieves, stolen, stole, nicked, nicking, shoplifting, shoplifter, "
            "shoplifters, shoplifting spree, lifting, down his coat, down her coat, "
            "pickpocket, pickpocketing, dipping, purse taken, purse stolen, wallet stolen, "
            "phone snatched, snatched, bag snatch, bike stolen, bike theft, bike locks, bolt "
            "croppers, bolt cutters, catalytic converter, stealing, steal, shop theft"
        ),
    ),
)


categories = sa.table(
    "categories",
    sa.column("id", sa.Integer),
    sa.column("slug", sa.String),
    sa.column("name", sa.String),
    sa.column("keywords", sa.Text),
    sa.column("urgent", sa.Boolean),
    sa.column("sort_order", sa.Integer),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _keywords(text: str | None) -> list[str]:
    return [k for k in (text or "").split("|") if k]


def _join(keywords: list[str]) -> str:
    return "|".join(dict.fromkeys(k.strip().replace("|", " ") for k in keywords if k.strip()))


# New categories that are sensitive, as bot.domain.reports.incidents.SENSITIVE_BY_DEFAULT says.
SENSITIVE_NEW = frozenset({"welfare"})


def upgrade() -> None:
    with op.batch_alter_table("duty_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("located_at", sa.DateTime(timezone=True), nullable=True))

    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            categories.c.id,
            categories.c.slug,
            categories.c.name,
            categories.c.keywords,
            categories.c.sort_order,
        )
    ).all()
    if not rows:
        return  # a new database: the defaults are seeded whole at start-up
    by_slug = {row.slug: row for row in rows}
    names = {row.name.casefold() for row in rows}
    for slug, row in by_slug.items():
        if slug not in ADDED and slug not in REMOVED:
            continue
        removed = set(REMOVED.get(slug, ()))
        keywords = [k for k in _keywords(row.keywords) if k not in removed]
        keywords += ADDED.get(slug, ())
        bind.execute(
            categories.update().where(categories.c.id == row.id).values(keywords=_join(keywords))
        )
    # The new ones go after safeguarding (the default order keeps gaps of 10).
    after = by_slug.get("safeguarding")
    base = after.sort_order if after is not None else max((r.sort_order for r in rows), default=0)
    now = datetime.now(UTC)
    for offset, (slug, name, urgent, keywords) in enumerate(NEW_CATEGORIES, start=1):
        if slug in by_slug or name.casefold() in names:
            continue  # an admin made one already: theirs stays as it is
        bind.execute(
            categories.insert().values(
                slug=slug,
                name=name,
                keywords=_join(list(keywords)),
                urgent=urgent,
                sort_order=base + 3 * offset,
                created_at=now,
            )
        )
        if slug in SENSITIVE_NEW:  # 0006 made the column: welfare is about someone's health
            bind.execute(
                sa.text("UPDATE categories SET sensitive = :yes WHERE slug = :slug"),
                {"yes": True, "slug": slug},
            )


def downgrade() -> None:
    bind = op.get_bind()
    reports = sa.table("reports", sa.column("category_id", sa.Integer))
    rows = bind.execute(sa.select(categories.c.id, categories.c.slug, categories.c.keywords)).all()
    for row in rows:
        if row.slug in {slug for slug, *_ in NEW_CATEGORIES}:
            used = bind.execute(
                sa.select(sa.func.count())
                .select_from(reports)
                .where(reports.c.category_id == row.id)
            ).scalar_one()
            if not used:  # a category with reports stays: they need it
                bind.execute(categories.delete().where(categories.c.id == row.id))
            continue
        if row.slug not in ADDED and row.slug not in REMOVED:
            continue
        added = set(ADDED.get(row.slug, ()))
        keywords = [k for k in _keywords(row.keywords) if k not in added]
        keywords += REMOVED.get(row.slug, ())
        bind.execute(
            categories.update().where(categories.c.id == row.id).values(keywords=_join(keywords))
        )
    with op.batch_alter_table("duty_sessions", schema=None) as batch_op:
        batch_op.drop_column("located_at")
