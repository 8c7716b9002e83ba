"""Hypothesis strategies for the fuzz run: what people (and Telegram) could send the bot.

Each strategy draws an abstract step (who, where, what); tests/e2e/test_fuzz.py turns it into
the JSON update Telegram would deliver, against the bot's state at that moment (the
messages it sent, their buttons), and hands it to the real Application.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from bot.domain.access.commands import COMMANDS
from bot.domain.callbacks import PREFIX_PERMISSIONS

# ---- text --------------------------------------------------------------------------------
# Pieces that have broken bots before: markup of both parse modes, SQL, emoji sequences,
# bidirectional and zero-width characters, and words the bot itself reacts to.
SPICY: tuple[str, ...] = (
    "<b>bold</b>", "<script>alert(1)</script>", "</i>", "<", ">", "&", "&amp;", "&lt;b&gt;",
    "&#0;", "&#x110000;", "<a href=\"tg://user?id=1\">x</a>", "<tg-spoiler>", "<br/>",
    "*bold*", "_it_", "`code`", "```pre```", "[link](http://example.com)", "~~s~~",
    "||spoiler||", "\\", "\\_",
    "'; DROP TABLE reports; --", "\" OR 1=1 --", "%", "%_%", "' OR ''='", "NULL", "\\x00", "\x00",
    "😀", "👮‍♀️", "🏳️‍🌈", "🇬🇧", "👍🏽", "\u202eevil\u202c", "مرحبا بالعالم", "שלום", "\u2066x\u2069",
    "\u200b", "\u200d", "\ufeff", "\u2060", "\u00ad", "Z\u0351\u0352\u0353", "ǅ", "ß", "İ",
    "\n", "\n\n", "\t", "  ", "\r\n",
    "R-0001", "R-1", "r 2", "R-999999999", "R-99999999999999999999", "R-0", "R--1",
    "/start", "/help", "@tcag_local_bot", "@alex_admin", "#tag", "https://t.me/x",
    "Elmer Square", "the fountain", "fountain", "Market <Street> & Co", "3 lads", "drinking",
    "knife", "fight", "begging", "rough sleeper", "weapon", "drug dealing", "sleeping in doorway",
    "7d", "30d", "quarter", "2026Q3", "2026-07-01", "2026-13-45", "officer", "coordinator",
    "warden", "outreach", "add", "clear", "1", "0", "-1", "99999999999999999999", "1e9",
    "member.", "person.", "export", "Fri,Sat", "Mon-Sun", "20:00", "25:61", "02:00", "|", ":",
    "yes", "no", "Cancel", "Skip", "Share my location", "No location",
)  # fmt: skip

MAX_TEXT_UTF16 = 4096  # what Telegram delivers at most


def telegram_sized(text: str, limit: int = MAX_TEXT_UTF16) -> str:
    """Cut to what Telegram would deliver (UTF-16 units) and never empty."""
    while len(text.encode("utf-16-le")) // 2 > limit:
        text = text[: max(limit // 2, len(text) - 64)]
    return text if text.strip() else text + "."


_piece = st.one_of(
    st.sampled_from(SPICY),
    st.text(max_size=12),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=8),
)
short_text = st.lists(_piece, min_size=1, max_size=8).map(
    lambda parts: telegram_sized("".join(parts))
)
long_text = st.builds(
    lambda seed, size: telegram_sized((seed * (size // max(len(seed), 1) + 1))[:size]),
    st.lists(_piece, min_size=1, max_size=3).map(lambda parts: "".join(parts) or "x"),
    st.integers(3_990, 4_096),
)
# What a member answering the bot's questions would type.
PLAIN: tuple[str, ...] = (
    "3 lads drinking by the fountain", "Elmer Square", "fight outside the Crown",
    "knife seen near the market", "begging at the cash machine", "Ali", "Red coat, sleeping bag",
    "2", "Late", "Fri,Sat", "20:00", "02:00", "Tall man in a green jacket", "the fountain",
    "Market <Street> & Co", "Station Road", "ali", "New name", "150", "fountain|square",
    "Moved on", "All quiet", "yes", "no", "R-1 all sorted", "drunk and disorderly",
)  # fmt: skip
plain_text = st.sampled_from(PLAIN)
any_text = st.sampled_from([0, 0, 0, 1, 1, 1, 2]).flatmap(
    lambda i: (plain_text, short_text, long_text)[i]
)
caption_text = st.one_of(short_text, long_text.map(lambda t: telegram_sized(t, 1024)))
name_text = st.one_of(
    st.sampled_from(["<b>Olly</b>", "A & B", "\u202eevil", "😀", "x" * 64, "&amp;", "' OR 1=1"]),
    st.text(min_size=1, max_size=64).filter(lambda s: s.strip() != ""),
)

# ---- who and where -----------------------------------------------------------------------
ACTOR_KINDS: tuple[str, ...] = (
    "stranger", "stranger2", "pending", "suspended", "rejected",
    "officer", "warden", "outreach", "coordinator", "admin",
)  # fmt: skip
MEMBERS = tuple(
    i
    for i, k in enumerate(ACTOR_KINDS)
    if k in ("officer", "warden", "outreach", "coordinator", "admin")
)
# None: the same person as the step before, so flows (a report, a contact) get somewhere.
FOCUS = -1  # the member this example is mostly about (drawn per batch): flows get deep
# (Hypothesis merges repeated strategies in one_of: weights come from sampled_from lists.)
actor = st.sampled_from(
    [None] * 60 + [FOCUS] * 12 + [*MEMBERS, *MEMBERS] + list(range(len(ACTOR_KINDS)))
)
place = st.sampled_from(["private"] * 8 + ["group", "other"])


# ---- steps -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    kind: str  # text, command, press, forged, content, edited, forwarded, reply, userless
    who: int | None = None  # index into ACTOR_KINDS, FOCUS, or None: the one before
    where: str = "private"
    text: str = ""
    pick: int = 0  # which message (0: the newest) and which of its buttons
    button: int = 0
    data: str | None = None
    content: Any = None  # a message's content fields, or a userless update's kind
    rename: str | None = None  # the person's Telegram name changed since last time


text_step = st.builds(Step, kind=st.just("text"), who=actor, where=place, text=any_text)

COMMAND_NAMES: tuple[str, ...] = tuple(spec.name for spec in COMMANDS)
_arg_token = st.one_of(st.sampled_from(SPICY), st.text(max_size=10), st.sampled_from(COMMAND_NAMES))
command_args = st.one_of(
    st.just(""),
    st.lists(_arg_token, min_size=1, max_size=5).map(" ".join),
    long_text.map(lambda t: "add " + t[:4000]),
    st.sampled_from(
        [
            "R-1", "R-2 more detail here", "R-1 <b>closed</b> & done", "7d", "30d", "quarter",
            "2026Q3", "2026Q4", "1999Q1", "2026-11-01 2026-11-30", "2026-11-30 2026-11-01",
            "2026-02-30 2026-03-01", "officer", "warden", "outreach", "coordinator", "admin",
            "add Ali <the> & fountain", "clear 1", "clear 99999999999999999999", "clear -1",
            "add Late | Fri,Sat | 20:00 | 02:00", "add X | Mon | 25:00 | 02:00", "Ali",
            "@alex_admin", "member.", "person.", "export", "Olly", "AAAAAAAAAAAAAAAAAAAAAA",
            "<script>", "&", "R-0001 " + "x" * 4000, "survey", "open", "close",
        ]
    ),
)  # fmt: skip
command_name = st.one_of(
    st.sampled_from(COMMAND_NAMES),
    st.sampled_from(COMMAND_NAMES).map(str.upper),
    st.sampled_from(["foo", "s", "startx", "help_", "a" * 32, "Старт", "report@", "1"]),
)
addressee = st.sampled_from(["", "", "", "@tcag_local_bot", "@TCAG_LOCAL_BOT", "@other_bot"])
command_step = st.builds(
    lambda who, where, name, args, to: Step(
        "command", who, where, text=telegram_sized(f"/{name}{to} {args}".rstrip())
    ),
    actor,
    place,
    command_name,
    command_args,
    addressee,
)

press_step = st.builds(
    Step,
    kind=st.just("press"),
    who=actor,
    where=st.sampled_from(["private"] * 7 + ["group"]),
    pick=st.integers(0, 30),  # under 20: the newest message (see the runner)
    button=st.integers(0, 40),
)

# fmt: off
ACTIONS: dict[str, tuple[str, ...]] = {
    "acc": ("ok", "no"),
    "mem": ("list", "card", "roles", "set", "sus", "rei", "ren", "lead"),
    "inv": ("new", "rev"),
    "menu": ("help", "invite", "members", "report"),
    "rep": ("cat", "hot", "go", "ppl", "urg", "ok", "edit", "ed", "sum", "more", "u18", "x"),
    "qr": ("ok", "cat", "place", "urg", "u18", "x"),
    "drf": ("go", "x"),
    "inc": ("ack", "att", "no", "cam", "nocam"),
    "cat": ("list", "add", "show", "ren", "kw", "urg", "sen", "ret", "res"),
    "hot": ("list", "add", "show", "ren", "rad", "ali", "rm", "rmok"),
    "out": ("new", "for", "pick", "newp", "anon", "same", "notsame", "age", "skip", "hot",
            "refplace", "site", "need", "needs", "act", "acts", "cons", "expl", "save", "x"),
    "per": ("show", "edit", "f", "age", "flag", "flags", "cons", "merge", "mrg", "mok"),
    "ref": ("list", "take", "log", "nf"),
    "rs": ("new", "age", "dng", "hot", "when", "skip", "ok", "x"),
    "era": ("ok", "x"),
    "shf": ("list", "add", "show", "ren", "days", "start", "end", "rm", "rmok"),
    "dut": ("loc",),
    "aud": ("p", "m", "a"),
    "sta": ("p",),
    "shw": ("more",),
    "sv": ("d", "n", "t", "o", "f", "a", "g"),
    "cls": ("o",),
    "cr": ("new", "w", "pl", "go", "x"),
    "cv": ("f", "n", "c", "ref"),
    "saf": ("alone", "paired", "ok", "help", "ack", "end"),
    "sg": ("list", "open", "ack", "acts", "do"),
}
# fmt: on
assert set(ACTIONS) == set(PREFIX_PERMISSIONS), "a new callback prefix needs fuzzing actions"

_arg = st.one_of(
    st.integers(-2, 12).map(str),
    st.sampled_from(
        [
            "99999999999999999999", "-99999999999999999999", "1e3", "0x1", "", " ", "٣",
            "officer", "warden", "outreach", "coordinator", "admin", "u18", "18_25", "safeg",
            "accom", "streetlink", "doorway", "y", "n", "7d", "30d", "quarter", "member.",
            "export", "age_band", "flags", "consent", "alias", "abc123", "ZZZZZZZZ", "AbCdEfGh",
            "<b>", "&", "😀", "R-1", "county", "cuckoo", "children", "nfa",
        ]
    ),
    st.text(max_size=6),
)  # fmt: skip
forged_data = st.one_of(
    # A known prefix and action (or a made-up one) with made-up arguments.
    st.sampled_from(sorted(ACTIONS)).flatmap(
        lambda prefix: st.builds(
            lambda action, args: ":".join([prefix, action, *args]),
            st.one_of(st.sampled_from(ACTIONS[prefix]), st.text(max_size=5)),
            st.lists(_arg, max_size=3),
        )
    ),
    # Over-long, empty, missing parts, someone else's format.
    st.sampled_from(sorted(ACTIONS)).map(lambda p: p + ":" + "x" * 70),
    st.sampled_from(sorted(ACTIONS)).map(lambda p: p + ":"),
    st.sampled_from(sorted(ACTIONS)),
    st.text(max_size=80),
    st.just("mutate"),  # a real button's data with one argument changed (see the runner)
    st.just("mutate"),
)
forged_step = st.builds(
    Step,
    kind=st.just("forged"),
    who=actor,
    where=st.sampled_from(("private", "private", "group")),
    pick=st.integers(0, 30),
    button=st.integers(0, 40),
    data=forged_data,
)

# ---- every other kind of message ---------------------------------------------------------
ELMER = (51.50720, -0.12760)
_coordinate = st.one_of(
    st.floats(-1000, 1000, allow_nan=False, allow_infinity=False),
    st.sampled_from([90.0, -90.0, 180.0, -180.0, 90.000001, -180.5, 0.0, 1e300, -1e300]),
)
_near = st.tuples(st.floats(-0.01, 0.01), st.floats(-0.01, 0.01)).map(
    lambda d: (ELMER[0] + d[0], ELMER[1] + d[1])
)
location = st.one_of(_near, _near, st.tuples(_coordinate, _coordinate)).map(
    lambda p: {"latitude": p[0], "longitude": p[1]}
)
live_location = st.builds(
    lambda loc, period, accuracy: {**loc, "live_period": period, "horizontal_accuracy": accuracy},
    location,
    st.sampled_from([60, 900, 86400, 0x7FFFFFFF]),
    st.floats(0, 1500),
)
_file_id = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789-_", min_size=1, max_size=80)


def _file(fid: str, **extra: Any) -> dict[str, Any]:
    return {"file_id": fid, "file_unique_id": "u" + fid[:30], **extra}


def _photo(fid: str) -> list[dict[str, Any]]:
    return [
        _file(fid + "s", width=90, height=60, file_size=900),
        _file(fid, width=1280, height=960),
    ]


_with_caption = st.one_of(st.just({}), caption_text.map(lambda c: {"caption": c}))
message_content = st.one_of(
    st.builds(lambda f, c: {"photo": _photo(f), **c}, _file_id, _with_caption),
    st.builds(lambda f, c: {"photo": _photo(f), **c}, _file_id, _with_caption),
    st.builds(lambda f, d: {"voice": _file(f, duration=d)}, _file_id, st.integers(0, 10**6)),
    st.builds(lambda f, d: {"voice": _file(f, duration=d)}, _file_id, st.integers(0, 10**6)),
    location.map(lambda loc: {"location": loc}),
    location.map(lambda loc: {"location": loc}),
    live_location.map(lambda loc: {"location": loc}),
    st.builds(
        lambda loc, title, address: {
            "location": loc,
            "venue": {"location": loc, "title": title, "address": address},
        },
        location,
        short_text,
        short_text,
    ),
    st.builds(
        lambda f: {
            "sticker": _file(
                f, type="regular", width=512, height=512, is_animated=False, is_video=False
            )
        },
        _file_id,
    ),
    st.builds(
        lambda q, options: {
            "poll": {
                "id": "poll1",
                "question": q[:300],
                "options": [
                    {"text": o[:100], "voter_count": 0, "persistent_id": f"o{i}"}
                    for i, o in enumerate(options)
                ],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
                "allows_revoting": False,
                "members_only": False,
            }
        },
        short_text,
        st.lists(short_text, min_size=2, max_size=4),
    ),
    st.builds(
        lambda f, name, mime, c: {"document": _file(f, file_name=name, mime_type=mime), **c},
        _file_id,
        short_text.map(lambda s: s[:200]),
        st.sampled_from(["application/pdf", "text/csv", "image/jpeg", "x/evil<>"]),
        _with_caption,
    ),
    st.builds(
        lambda phone, first, uid: {
            "contact": {"phone_number": phone, "first_name": first, **uid},
        },
        st.sampled_from(["+447700900123", "999", "<b>", ""]),
        name_text,
        st.one_of(st.just({}), st.integers(1, 10**10).map(lambda u: {"user_id": u})),
    ),
    st.builds(
        lambda emoji, value: {"dice": {"emoji": emoji, "value": value}},
        st.sampled_from(["🎲", "🎯", "🏀", "⚽", "🎳", "🎰"]),
        st.integers(1, 64),
    ),
    st.builds(lambda f: {"video": _file(f, width=1, height=1, duration=1)}, _file_id),
    st.builds(lambda f: {"video_note": _file(f, length=1, duration=1)}, _file_id),
    st.builds(lambda f: {"audio": _file(f, duration=3)}, _file_id),
    st.builds(
        lambda f: {
            "animation": _file(f, width=1, height=1, duration=1),
            "document": _file(f, file_name="a.gif"),
        },
        _file_id,
    ),
    st.builds(lambda f: {"photo": _photo(f), "media_group_id": "album1"}, _file_id),
    st.builds(lambda c: {"story": {"chat": c, "id": 1}}, st.just({"id": 1, "type": "private"})),
    st.just({"new_chat_title": "Renamed <b>"}),
    st.just({"group_chat_created": True}),
    st.just({"delete_chat_photo": True}),
    st.just({"migrate_to_chat_id": -1_009_999_999}),
    st.just({"pinned_message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}}),
)
content_step = st.builds(
    Step, kind=st.just("content"), who=actor, where=place, content=message_content
)

edited_content = st.one_of(
    any_text.map(lambda t: {"text": t}),
    location.map(lambda loc: {"location": loc}),
    live_location.map(lambda loc: {"location": loc}),
    st.builds(lambda f, c: {"photo": _photo(f), **c}, _file_id, _with_caption),
)
edited_step = st.builds(
    Step, kind=st.just("edited"), who=actor, where=place, content=edited_content
)

forward_origin = st.sampled_from(["user", "hidden_user", "channel", "chat"])
forwarded_step = st.builds(
    lambda who, where, content, origin: Step("forwarded", who, where, content=(content, origin)),
    actor,
    place,
    st.one_of(
        any_text.map(lambda t: {"text": t}),
        st.sampled_from(COMMAND_NAMES).map(lambda n: {"text": f"/{n} R-1"}),
        message_content,
    ),
    forward_origin,
)
reply_step = st.builds(
    lambda who, where, pick, content: Step("reply", who, where, pick=pick, content=content),
    actor,
    st.sampled_from(("private", "private", "group")),
    st.integers(0, 10),
    st.one_of(
        any_text.map(lambda t: {"text": t}),
        st.builds(lambda f, c: {"photo": _photo(f), **c}, _file_id, _with_caption),
        st.builds(lambda f: {"voice": _file(f, duration=2)}, _file_id),
        st.sampled_from(COMMAND_NAMES).map(lambda n: {"text": f"/{n}"}),
    ),
)

USERLESS_KINDS: tuple[str, ...] = (
    "channel_post", "edited_channel_post", "poll", "poll_answer", "my_chat_member",
    "chat_member", "chat_join_request", "message_reaction", "inline_query",
    "inline_callback", "game_callback", "bot_message", "anonymous_admin", "empty",
    "message_reaction_count", "chosen_inline_result", "removed_chat_boost",
)  # fmt: skip
userless_step = st.builds(
    Step,
    kind=st.just("userless"),
    who=actor,
    where=place,
    text=short_text,
    content=st.sampled_from(USERLESS_KINDS),
    data=forged_data,
)

# How often each kind of step comes up, out of 100: noisy examples throw everything at the
# bot; calm ones mostly answer its questions, so long flows (a contact, a shift) finish.
NOISY: dict[str, int] = {
    "text": 16, "command": 16, "press": 30, "forged": 9, "content": 9, "edited": 4,
    "forwarded": 4, "reply": 5, "userless": 7,
}  # fmt: skip
CALM: dict[str, int] = {"plain": 25, "press": 50, "start": 12, "content": 8, "forged": 5}
# Commands that start something, as members would use them.
STARTERS: tuple[str, ...] = (
    "/contact", "/report", "/roughsleeper", "/brief add Watch the <square> & market",
    "/brief clear 1", "/categories", "/hotspots", "/shifts", "/members", "/referrals", "/on",
    "/off", "/person Ali", "/people", "/invite", "/audit", "/stats 7d", "/update R-2 more",
    "/close R-1 done", "/erase Ali", "/cancel", "/mine", "/show R-1", "/open", "/digest",
    "/duty", "/start", "/concerns",
)  # fmt: skip
_STEPS: dict[str, st.SearchStrategy[Step]] = {
    "text": text_step, "command": command_step, "press": press_step, "forged": forged_step,
    "content": content_step, "edited": edited_step, "forwarded": forwarded_step,
    "reply": reply_step, "userless": userless_step,
    "plain": st.builds(Step, kind=st.just("text"), who=actor, text=plain_text),
    "start": st.builds(Step, kind=st.just("command"), who=actor, text=st.sampled_from(STARTERS)),
}  # fmt: skip


def _steps(weights: dict[str, int]) -> st.SearchStrategy[Step]:
    return (
        st.sampled_from([kind for kind, weight in weights.items() for _ in range(weight)])
        .flatmap(lambda kind: _STEPS[kind])
        .flatmap(
            # Now and then the person changed their Telegram name (the bot shows names).
            lambda s: st.sampled_from([None] * 9 + ["rename"]).flatmap(
                lambda r: st.just(s) if r is None else name_text.map(
                    lambda n: Step(**{**s.__dict__, "rename": n})
                )
            )
        )
    )  # fmt: skip


step = _steps(NOISY)
calm_step = _steps(CALM)

# Time passing between updates: (after which update, how many minutes). The background
# jobs run then (escalations, duty closing, draft expiry, the outbox).
tick = st.tuples(
    st.integers(0, 10_000),
    st.one_of(st.integers(0, 10), st.integers(0, 90), st.sampled_from([6 * 60, 25 * 60])),
)


Batch = tuple[int, list[Step], list[tuple[int, int]]]


def batch(size: int) -> st.SearchStrategy[Batch]:
    """Whose example it is, `size` updates, and a few moments when time passes."""
    return st.tuples(
        st.sampled_from(MEMBERS),
        st.sampled_from([step, calm_step]).flatmap(
            lambda kind: st.lists(kind, min_size=size, max_size=size)
        ),
        st.lists(tick, max_size=3),
    )
