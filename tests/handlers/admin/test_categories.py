"""/categories: admins list, add, rename, set keywords, toggle urgent, retire and restore."""

from __future__ import annotations

from bot.domain.access.roles import Role
from bot.domain.quick_report import DEFAULT_CATEGORIES
from bot.offline.chat import Person
from bot.texts import common as common_texts
from bot.texts.admin import catalog as catalog_texts
from storage.models import Category
from tests.support.harness import ADMIN, BotHarness

OFFICER = Person(2002, "Olly", "Officer")
SECOND_ADMIN = Person(1002, "Bea", "Admin")


async def category(bot: BotHarness, name: str) -> Category:
    for found in await bot.store.categories.all():
        if found.name == name:
            return found
    raise LookupError(name)


async def open_card(bot: BotHarness, name: str) -> None:
    await bot.tg.send(ADMIN, "/categories")
    await bot.tg.press(ADMIN, bot.last(ADMIN), name)


async def test_list_shows_every_category_urgent_ones_marked(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/categories")

    shown = bot.last(ADMIN)
    assert f"Report categories: {len(DEFAULT_CATEGORIES)} active" in shown.plain
    labels = [b["text"] for b in shown.inline_buttons]
    assert "⚠️ Weapon seen" in labels and "⚠️ Violence or assault" in labels
    assert "Begging" in labels and "⚠️ Begging" not in labels
    assert labels[-1] == "➕ Add a category"


async def test_card_shows_name_keywords_urgency_and_status(bot: BotHarness) -> None:
    await open_card(bot, "Weapon seen")

    card = bot.last(ADMIN)
    assert card.plain.startswith("Weapon seen ⚠️")
    assert "Keywords: weapon, knife, knives" in card.plain
    assert "Urgent by default: yes" in card.plain and "Status: active" in card.plain
    labels = [b["text"] for b in card.inline_buttons]
    assert labels == [
        "✏️ Rename",
        "🔑 Keywords",
        "⚠️ Urgent by default: turn off",
        "🔒 Sensitive: turn on",
        "🗄 Retire",
        "◀ All categories",
    ]
    assert "Sensitive: no" in card.plain


async def test_add_with_the_command(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/categories add   Fly-tipping  ")

    card = bot.last(ADMIN)
    assert "Category added: Fly-tipping" in card.plain
    assert "Keywords: none" in card.plain
    added = await category(bot, "Fly-tipping")
    assert added.slug == "fly_tipping" and not added.urgent and added.keywords == ""
    assert added.retired_at is None


async def test_add_with_the_button_asks_for_the_name(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/categories")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Add a category")
    assert bot.last(ADMIN).plain == catalog_texts.CATEGORY_ASK_NAME

    await bot.tg.send(ADMIN, "Noise nuisance")

    assert "Category added: Noise nuisance" in bot.last(ADMIN).plain
    assert (await category(bot, "Noise nuisance")).sort_order > 0
    await bot.tg.send(ADMIN, "/categories")
    assert "Noise nuisance" in [b["text"] for b in bot.last(ADMIN).inline_buttons]


async def test_rename(bot: BotHarness) -> None:
    begging = await category(bot, "Begging")
    await open_card(bot, "Begging")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Rename")
    assert "What should “Begging” be called now?" in bot.last(ADMIN).plain

    await bot.tg.send(ADMIN, "Begging & aggressive begging")

    assert bot.last(ADMIN).plain.startswith("✅ Renamed.")
    assert "Begging & aggressive begging" in bot.last(ADMIN).plain
    renamed = await bot.store.categories.get(begging.id or 0)
    assert renamed is not None and renamed.name == "Begging & aggressive begging"
    assert renamed.slug == "begging"  # the slug is the stable identity


async def test_keywords_replace_add_and_clear(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/categories add Fly-tipping")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Keywords")
    assert "Now: none" in bot.last(ADMIN).plain

    await bot.tg.send(ADMIN, "dumped rubbish,  fly tipping , mattress, Mattress,")
    assert "Keywords saved" in bot.last(ADMIN).plain
    assert (await category(bot, "Fly-tipping")).keyword_list == (
        "dumped rubbish",
        "fly tipping",
        "mattress",
    )

    await bot.tg.press(ADMIN, bot.last(ADMIN), "Keywords")
    assert "dumped rubbish, fly tipping, mattress" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "+ bin bags, mattress")
    assert (await category(bot, "Fly-tipping")).keyword_list == (
        "dumped rubbish",
        "fly tipping",
        "mattress",
        "bin bags",
    )
    rules = {rule.name: rule for rule in await bot.store.categories.rules()}
    assert "bin bags" in rules["Fly-tipping"].keywords

    await bot.tg.press(ADMIN, bot.last(ADMIN), "Keywords")
    await bot.tg.send(ADMIN, "-")
    assert (await category(bot, "Fly-tipping")).keyword_list == ()


async def test_bad_keywords_change_nothing_and_keep_asking(bot: BotHarness) -> None:
    before = (await category(bot, "Begging")).keywords
    await open_card(bot, "Begging")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Keywords")

    await bot.tg.send(ADMIN, "spare change, x")
    assert "Each keyword must be 2–40 characters; “x” has 1." in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, ", ".join(f"word{n}" for n in range(61)))
    assert "At most 60 keywords" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, " , ")
    assert "at least one keyword" in bot.last(ADMIN).plain
    assert (await category(bot, "Begging")).keywords == before

    await bot.tg.send(ADMIN, "spare change")  # still asking
    assert (await category(bot, "Begging")).keyword_list == ("spare change",)


async def test_toggle_urgent_by_default(bot: BotHarness) -> None:
    await open_card(bot, "Gang or group activity")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Urgent by default: turn on")

    assert (await category(bot, "Gang or group activity")).urgent
    card = bot.last(ADMIN)
    assert "Urgent by default: yes" in card.plain
    assert "⚠️ Urgent by default: turn off" in [b["text"] for b in card.inline_buttons]
    assert bot.api.callback_answers()[-1]["text"] == (
        "Urgent by default: yes: Gang or group activity"
    )

    await bot.tg.press(ADMIN, card, "Urgent by default: turn off")
    assert not (await category(bot, "Gang or group activity")).urgent


async def test_mark_a_category_sensitive(bot: BotHarness) -> None:
    await open_card(bot, "Safeguarding concern")
    assert "🔒 Sensitive: yes" in bot.last(ADMIN).plain  # by default
    await bot.tg.send(ADMIN, "/categories")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Begging")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "🔒 Sensitive: turn on")

    assert (await category(bot, "Begging")).sensitive
    card = bot.last(ADMIN)
    assert "🔒 Sensitive: yes (alerts and exports leave what happened out)" in card.plain
    assert bot.api.callback_answers()[-1]["text"] == "Sensitive: yes: Begging"
    await bot.tg.press(ADMIN, card, "🔒 Sensitive: turn off")
    assert not (await category(bot, "Begging")).sensitive


async def test_retire_and_restore(bot: BotHarness) -> None:
    await open_card(bot, "Street drinking")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Retire")

    retired = await category(bot, "Street drinking")
    assert retired.retired_at == bot.clock.now()
    assert "Status: retired since Fri 27 Nov 21:00" in bot.last(ADMIN).plain
    assert "Street drinking" not in [rule.name for rule in await bot.store.categories.rules()]
    await bot.tg.send(ADMIN, "/categories")
    listing = bot.last(ADMIN)
    assert f"{len(DEFAULT_CATEGORIES) - 1} active, 1 retired" in listing.plain
    labels = [b["text"] for b in listing.inline_buttons]
    assert labels[-2:] == ["🗄 Street drinking (retired)", "➕ Add a category"]

    await bot.tg.press(ADMIN, listing, "Street drinking (retired)")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Restore")
    assert (await category(bot, "Street drinking")).retired_at is None
    assert "Status: active" in bot.last(ADMIN).plain


async def test_the_last_active_category_cannot_be_retired(bot: BotHarness) -> None:
    everything = await bot.store.categories.all()
    for other in everything[1:]:
        await bot.store.categories.update(other.id or 0, retired=True)
    await open_card(bot, everything[0].name)
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Retire")

    assert bot.api.callback_answers()[-1]["text"] == catalog_texts.CATEGORY_LAST_ACTIVE
    assert len(await bot.store.categories.active()) == 1


async def test_too_long_and_duplicate_names_are_refused(bot: BotHarness) -> None:
    count = len(await bot.store.categories.all())
    await bot.tg.send(ADMIN, "/categories add " + "x" * 61)
    assert "at most 60 characters; yours has 61" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "/categories add begging")
    assert catalog_texts.CATEGORY_NAME_TAKEN in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "/categories add x")
    assert "at least 2 characters" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "/categories remove Begging")
    assert "/categories add Name of category" in bot.last(ADMIN).plain
    assert len(await bot.store.categories.all()) == count

    await open_card(bot, "Begging")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Rename")
    await bot.tg.send(ADMIN, "weapon SEEN")
    assert catalog_texts.CATEGORY_NAME_TAKEN in bot.last(ADMIN).plain
    assert "Please try again, or /cancel." in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "y" * 61)
    assert "at most 60 characters" in bot.last(ADMIN).plain
    await bot.tg.send(ADMIN, "Begging (any)")  # the flow is still waiting
    assert (await category(bot, "Begging (any)")).slug == "begging"


async def test_cancel_mid_flow_changes_nothing(bot: BotHarness) -> None:
    await open_card(bot, "Begging")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Rename")
    await bot.tg.send(ADMIN, "/cancel")
    assert bot.last(ADMIN).plain == common_texts.EDIT_CANCELLED

    await bot.tg.send(ADMIN, "Something else entirely")
    assert await category(bot, "Begging")
    assert "Renamed" not in bot.last(ADMIN).plain


async def test_another_command_stops_the_flow(bot: BotHarness) -> None:
    await open_card(bot, "Begging")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Rename")
    await bot.tg.send(ADMIN, "/help")
    assert bot.last(ADMIN).plain == common_texts.edit_interrupted("help")

    await bot.tg.send(ADMIN, "Not a new name")
    assert await category(bot, "Begging")


async def test_a_location_while_a_name_is_due_gets_a_reminder(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/categories add")
    await bot.tg.share_location(ADMIN, 52.6, -1.1)
    assert bot.last(ADMIN).plain == common_texts.TYPE_THE_ANSWER
    await bot.tg.send(ADMIN, "Graffiti")
    assert "Category added: Graffiti" in bot.last(ADMIN).plain


async def test_other_buttons_end_the_pending_input(bot: BotHarness) -> None:
    await open_card(bot, "Begging")
    card = bot.last(ADMIN)
    await bot.tg.press(ADMIN, card, "Rename")
    await bot.tg.press(ADMIN, card, "All categories")
    assert "Report categories" in card.plain  # the card became the list again

    await bot.tg.send(ADMIN, "Not a new name")
    assert await category(bot, "Begging")


async def test_pending_input_belongs_to_one_admin(bot: BotHarness) -> None:
    await bot.member(SECOND_ADMIN, Role.COORDINATOR, admin=True)
    await open_card(bot, "Begging")
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Rename")

    await bot.tg.send(SECOND_ADMIN, "Hijacked name")
    assert await category(bot, "Begging")

    await bot.tg.send(ADMIN, "Begging (any)")
    assert await category(bot, "Begging (any)")


async def test_officers_cannot_use_categories(bot: BotHarness) -> None:
    await bot.member(OFFICER, Role.OFFICER)
    await bot.tg.send(OFFICER, "/categories")
    assert bot.last(OFFICER).plain == common_texts.NOT_ALLOWED_COMMAND.format(command="categories")

    begging = await category(bot, "Begging")
    for data in (f"cat:urg:{begging.id}", f"cat:ret:{begging.id}", f"cat:ren:{begging.id}"):
        await bot.tg.press_data(OFFICER, bot.last(OFFICER), data)
        assert bot.api.callback_answers()[-1]["text"] == common_texts.NOT_ALLOWED_BUTTON
    unchanged = await category(bot, "Begging")
    assert not unchanged.urgent and unchanged.retired_at is None


async def test_buttons_for_a_missing_category_say_so(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/categories")
    for data in ("cat:show:9999", "cat:ren:9999", "cat:nonsense:1"):
        await bot.tg.press_data(ADMIN, bot.last(ADMIN), data)
    answers = [a.get("text") for a in bot.api.callback_answers()[-3:]]
    assert answers == [
        catalog_texts.CATEGORY_NOT_FOUND,
        catalog_texts.CATEGORY_NOT_FOUND,
        common_texts.STALE_BUTTON,
    ]
