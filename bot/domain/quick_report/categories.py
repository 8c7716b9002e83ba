"""The default report categories and the keywords a quick report is read for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class CategoryRule:
    """A report category as the matcher sees it: keywords are free text, any case."""

    id: int
    name: str
    keywords: tuple[str, ...]
    urgent: bool = False
    slug: str = ""


class DefaultCategory(NamedTuple):
    slug: str
    name: str
    keywords: tuple[str, ...]
    urgent: bool


# Default categories from DESIGN.md, in its order (which is also the final tie-break).
# Urgent categories win any tie, so their keywords are kept precise: "kicking" alone would
# turn "kicking bins" into an assault, hence "kicked him" and friends.
#
# A keyword with " + " needs all its parts somewhere in the message, each part one of its
# "/"-separated phrases: "kids/teen + older men/adults" reads "teen girl hanging about with
# older men" as safeguarding but leaves "kids throwing stones" to antisocial behaviour.
# Keywords were reviewed against the words officers and wardens type (tests/data/
# quick_report_corpus.tsv): slang ("scrapping", "tooled up", "cotched", "necking"), and
# the common misspellings that are too short to be caught as typos ("fite").
def _keywords(text: str) -> tuple[str, ...]:
    """Keywords written as one comma-separated string, to keep the list readable."""
    return tuple(word.strip() for word in text.split(",") if word.strip())


_MINOR = (
    "child/little boy/little girl/toddler/young child/young girl/young boy/young lad/"
    "young lads/young person/young people/youngster/"
    "youngsters/teen/teens/teenage/teenager/teenagers/schoolkid/schoolkids/school kids/"
    "schoolgirl/schoolgirls/schoolboy/schoolboys/school uniform/in uniform/underage/"
    "under age/looks young/about 11/about 12/about 13/about 14/about 15/about 16/"
    "aged 12/aged 13/aged 14/aged 15/13 year old/14 year old/15 year old/kid/kids"
)
_WITH_ADULTS = (
    "older/older men/older males/older lads/older blokes/adults/adult/grown men/men/"
    "in their 20s/in their 30s"
)
_ALONE_AT_NIGHT = (
    "on his own/on her own/on their own/alone/by himself/by herself/at night/late at night/"
    "midnight/1am/2am/3am/4am/till late/all night"
)
_TAKEN = "getting into a car/got into a car/in a car with/being given/giving her/giving him"

DEFAULT_CATEGORIES: tuple[DefaultCategory, ...] = (
    DefaultCategory(
        "suspicious",
        "Suspicious activity / sighting",
        _keywords(
            "suspicious, suspiciously, acting suspicious, acting suspiciously, acting strange, "
            "acting odd, acting dodgy, dodgy, shifty, sus, hanging around, loitering, lurking, "
            "casing, scoping, eyeing up, trying car doors, trying door handles, trying doors, "
            "trying handles, looking into cars, looking in cars, looking in car windows, looking "
            "in windows, following someone, keeps coming back, keeps driving round, driving round "
            "slowly, parked up, engine running, watching people, unattended bag, unattended, "
            "suspicious package, abandoned bag, sighting, spotted again, seen again, peering "
            "into, peering in, hanging about, no plates, no number plates, false plates, watching "
            "the cashpoint, watching cars"
        ),
        False,
    ),
    DefaultCategory(
        "drug_dealing",
        "Suspected drug dealing",
        _keywords(
            "dealing, dealer, dealers, deal, drug deal, drug dealing, dealing drugs, dealing out "
            "of, drug, drugs, weed, cannabis, skunk, crack, crack house, trap house, spice, "
            "selling spice, heroin, cocaine, coke, charlie, ket, ketamine, mdma, pills, county "
            "lines, runner, doing drops, drops, exchanging packages, handing over packages, "
            "passing packages, swapping packages, hand to hand, baggies, wraps, serving up, smell "
            "of weed, smoking weed, smoking a joint, spliff, nitrous, nos, nangs, balloons, "
            "canisters, laughing gas, coming and going, selling pills, cannabis smell, small "
            "bags, passing bags, dropping off packages"
        ),
        False,
    ),
    DefaultCategory(
        "gang",
        "Gang or group activity",
        _keywords(
            "gang, gang of, gangs, rival group, rival groups, rival gang, facing off, squaring "
            "off, mob, large group, big group, balaclava, masked up, masks on, faces covered, "
            "hoods up, all in black, circling, postcode, masked, face coverings, face covered"
        ),
        False,
    ),
    DefaultCategory(
        "weapon",
        "Weapon seen",
        _keywords(
            "weapon, knife, knives, blade, bladed, bladed up, machete, zombie knife, stanley "
            "knife, flick knife, pulled a knife, pulled a blade, carrying a knife, shank, tooled "
            "up, tooled, gun, firearm, pistol, shotgun, rifle, air rifle, shooting, shots fired, "
            "been shot, got shot, crossbow, sword, samurai sword, axe, hammer, bat, baseball bat, "
            "broken bottle, knuckle duster, knuckleduster, acid, corrosive, brandishing, waving "
            "a, metal pole, pole, metal bar, iron bar, crowbar, golf club, wrench"
        ),
        True,
    ),
    DefaultCategory(
        "violence",
        "Violence or assault",
        _keywords(
            "fight, fighting, fite, scrap, scrapping, punch up, punch, punched, punching, "
            "swinging punches, assault, assaulted, attacked, attacking, jumped by, hit him, hit "
            "her, hit someone, hitting him, hitting her, hitting someone, got hit, been hit, "
            "kicked him, kicked her, kicked someone, kicking him, kicking her, kicking someone, "
            "stamping, pushed her, pushed him, shoved, domestic, pulling hair, restraining, "
            "stabbed, stabbing, slashed, glassed, bottled, beaten up, beating up, beat up, "
            "battered, squaring up, brawl, scuffle, bleeding, violent, getting violent, violence, "
            "headbutted, headbutt, strangled, mugged, mugging, robbed, robbery, slapped, "
            "slapping, getting kicked, being kicked, kicked in, kicked on the floor, bust lip, "
            "bust nose, altercation, getting physical, set upon, smacked, decked, floored, "
            "knocked out, knocking seven bells, being hit, hit by, getting hit, hitting"
        ),
        True,
    ),
    DefaultCategory(
        "asb",
        "Antisocial behaviour",
        _keywords(
            "antisocial, anti social, asb, shouting, shouting abuse, swearing, abusive, abuse, "
            "verbal abuse, being verbal, gobby, mouthy, lippy, harassing, harassment, hassling, "
            "intimidating, intimidation, threatening, threatening staff, nuisance, rowdy, noisy, "
            "loud music, blasting music, too loud, busker, throwing stones, lobbing stones, "
            "throwing things, throwing eggs, egging, firework, letting off fireworks, urinating, "
            "weeing, peeing, spitting at, littering, riding on the pavement, bikes on the "
            "pavement, e scooter, escooter, wheelies, climbing on, causing trouble, causing a "
            "nuisance, kicking off, kicked off, mouthing off, pestering, stag do, revving, "
            "motorbikes, off road bikes, music, chucking, screaming, football, kicking a ball, "
            "racing, boy racers, doing donuts"
        ),
        False,
    ),
    DefaultCategory(
        "street_drinking",
        "Street drinking",
        _keywords(
            "street drinking, street drinker, street drinkers, drinking, drinker, drinking in the "
            "street, lads drinking, youths drinking, men drinking, people drinking, group "
            "drinking, on the cans, cans, cans of, tins, tinnies, necking, swigging, booze, "
            "cider, white cider, lager, crate of, beer, alcohol, vodka, special brew, open can, "
            "open bottle, pspo, wine, bottles of, drinking from a can"
        ),
        False,
    ),
    DefaultCategory(
        "drunk_disorderly",
        "Drunk and disorderly",
        _keywords(
            "drunk, drunken, drunk and disorderly, disorderly, very drunk, really drunk, steaming "
            "drunk, drunk male, drunk man, drunk bloke, drunk woman, drunk lad, paralytic, "
            "legless, hammered, wasted, steaming, plastered, slaughtered, absolutely hammered, "
            "absolutely steaming, absolutely wasted, off his face, off her face, off their face, "
            "worse for wear, staggering, falling over, falling about, fell over, vomiting, being "
            "sick, throwing up, slurring, pissed, been refused, cant stand, so drunk, "
            "intoxicated, drunk female"
        ),
        False,
    ),
    DefaultCategory(
        "begging",
        "Begging",
        _keywords(
            "begging, beggar, beggars, begging for money, asking for money, asking people for "
            "money, asking for change, asking everyone for change, for change, asking for cash, "
            "asking for a quid, spare change, any change, cup out, paper cup, sitting with a cup, "
            "sat with a cup, aggressive begging, begging pitch, bus fare, hat out, begging for "
            "coins"
        ),
        False,
    ),
    DefaultCategory(
        "rough_sleeping",
        "Rough sleeping",
        _keywords(
            "rough sleeper, rough sleepers, rough sleeping, sleeping rough, sleeping bag, "
            "sleeping out, sleeping in the doorway, sleeping in a doorway, sleeping in, sleeping "
            "on, sleeping outside, sleeping on a bench, sleeping in a car, sleeping in his car, "
            "sleeping in her car, asleep in, asleep on, kipping, cotched, bedding, bedded down, "
            "bedding down, skipper, blanket, cardboard, tent, tent up, doorway, homeless, "
            "streetlink, all her bags, all his bags, set up camp, camping, camped"
        ),
        False,
    ),
    DefaultCategory(
        "criminal_damage",
        "Criminal damage",
        _keywords(
            "criminal damage, damage, damaged, damaging, graffiti, grafitti, tagging, tagged, "
            "spray paint, spray painting, vandalism, vandalised, vandal, smashed, smashed window, "
            "broken window, smashing, smashing bottles, snapped, wing mirrors, kicking bins, "
            "planters, kicked over, keyed, scratched, set fire, set on fire, set alight, arson, "
            "sprayed, window put through, put through, spraying, tags"
        ),
        False,
    ),
    DefaultCategory(
        "safeguarding",
        "Safeguarding concern",
        (
            *_keywords(
                "safeguarding, child, lost child, missing child, missing teen, missing person, "
                "runaway, care home, looks underage, vulnerable, vulnerable adult, taken "
                "advantage of, exploited, exploitation, exploiting, grooming, groomed, being "
                "groomed, cuckooing, trafficked, trafficking, modern slavery"
            ),
            # A child or teenager with older adults, out alone at night, or taken somewhere.
            f"{_MINOR} + {_WITH_ADULTS}",
            f"{_MINOR} + {_ALONE_AT_NIGHT}",
            f"{_MINOR} + {_TAKEN}",
            "girl + older men/older males/in their 20s/in their 30s",
        ),
        True,
    ),
    DefaultCategory(
        "welfare",
        "Welfare / medical",
        _keywords(
            "welfare, welfare check, medical, collapsed, unconscious, not breathing, not "
            "responding, unresponsive, passed out, cant wake, slumped, not moving, blue lips, "
            "overdose, overdosed, od, fitting, having a fit, seizure, mental health, mental "
            "health crisis, crisis, suicidal, self harm, threatening to jump, on the ledge, "
            "ledge, confused, confused and lost, dementia, had a fall, fallen over, head cut, "
            "head injury, injured, panic attack, hypo, diabetic, spiked, spiced out, spiced up, "
            "lying in the road, hypothermia, ambulance, end it, end it all, end his life, end her "
            "life, kill himself, kill herself, bad trip, distressed, has fallen, fallen down, "
            "cant get up, not making sense, wandering confused, wandering lost, talking about "
            "jumping, going to jump, jump off, jumping off"
        ),
        True,
    ),
    DefaultCategory(
        "theft",
        "Theft / shoplifting",
        _keywords(
            "theft, thief, thieves, stolen, stole, nicked, nicking, shoplifting, shoplifter, "
            "shoplifters, shoplifting spree, lifting, down his coat, down her coat, pickpocket, "
            "pickpocketing, dipping, purse taken, purse stolen, wallet stolen, phone snatched, "
            "snatched, bag snatch, bike stolen, bike theft, bike locks, bolt croppers, bolt "
            "cutters, catalytic converter, stealing, steal, shop theft"
        ),
        False,
    ),
    DefaultCategory(
        "other",
        "Other",
        _keywords(
            "lost property, found property, lost dog, stray dog, found a wallet, handing it in, "
            "street light, street light out, lights not working, traffic lights, needle found, "
            "needles found, sharps, fly tipping, pothole, trip hazard"
        ),
        False,
    ),
)

# Default categories where a life may be at risk: the reply begins with "call 999".
LIFE_AT_RISK_SLUGS = frozenset({"welfare"})


def default_rules() -> tuple[CategoryRule, ...]:
    """DEFAULT_CATEGORIES as rules with ids 1..n (the database assigns real ids)."""
    return tuple(
        CategoryRule(index, entry.name, entry.keywords, entry.urgent, entry.slug)
        for index, entry in enumerate(DEFAULT_CATEGORIES, start=1)
    )
