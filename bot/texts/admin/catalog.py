"""Report categories and hotspots, as admins see and change them (/categories, /hotspots)."""

from __future__ import annotations

from bot.texts.common import esc

CATEGORY_NOT_FOUND = "That category no longer exists."
CATEGORY_NAME_TAKEN = "Another category already has that name (perhaps a retired one)."
CATEGORY_LAST_ACTIVE = "That is the last active category: reports need at least one."
CATEGORIES_USAGE = (
    "Use /categories to see and change them, or <code>/categories add Name of category</code> "
    "to add one."
)
CATEGORY_ASK_NAME = "What should the new category be called? (2–60 characters, or /cancel)"


def categories_header(active: int, retired: int, page: int, pages: int) -> str:
    parts = [f"<b>Report categories</b>: {active} active"]
    if retired:
        parts.append(f", {retired} retired")
    if pages > 1:
        parts.append(f" — page {page + 1} of {pages}")
    parts.append(".\n⚠️ = urgent by default. Tap one to change it.")
    return "".join(parts)


def category_button(name: str, urgent: bool, retired: bool) -> str:
    if retired:
        return f"🗄 {name} (retired)"
    return f"⚠️ {name}" if urgent else name


def category_card(
    name: str,
    keywords: tuple[str, ...],
    urgent: bool,
    retired_since: str | None,
    sensitive: bool = False,
) -> str:
    words = (
        f"<code>{esc(', '.join(keywords))}</code>"
        if keywords
        else "none (quick reports won't suggest it)"
    )
    status = f"retired since {esc(retired_since)}" if retired_since else "active"
    return (
        f"<b>{esc(name)}</b>{' ⚠️' if urgent else ''}\n"
        f"Keywords: {words}\n"
        f"Urgent by default: {'yes' if urgent else 'no'}\n"
        f"{sensitive_label(sensitive)}\n"
        f"Status: {status}"
    )


def category_added(name: str) -> str:
    return f"✅ Category added: <b>{esc(name)}</b>. Add keywords so quick reports can find it."


def category_ask_rename(name: str) -> str:
    return f"What should “{esc(name)}” be called now? (2–60 characters, or /cancel)"


def category_ask_keywords(name: str, keywords: tuple[str, ...]) -> str:
    current = f"<code>{esc(', '.join(keywords))}</code>" if keywords else "none"
    return (
        f"Keywords for <b>{esc(name)}</b>: words people use in a message that suggest it.\n"
        f"Now: {current}\n\n"
        "Send the new list separated by commas (tap the list above to copy it), "
        "<code>+ word, word</code> to add to it, <code>-</code> for none, or /cancel."
    )


HOTSPOT_NOT_FOUND = "That hotspot no longer exists."
HOTSPOT_NAME_TAKEN = "Another hotspot (perhaps a removed one) already has that name."
HOTSPOT_ASK_LOCATION = "Send me the location of the new hotspot (📎 → Location), or /cancel"
HOTSPOT_NEED_LOCATION = (
    "Please share a location (📎 → Location), or type coordinates like "
    "<code>52.6012, -1.1034</code>; or /cancel."
)
HOTSPOT_ASK_NAME = "What is it called? (2–80 characters, or /cancel)"
NO_HOTSPOTS = "No hotspots yet. Add the places you patrol, so reports can name them."


def hotspots_header(
    hotspots: list[tuple[str, float, int]], total: int, page: int, pages: int
) -> str:
    """hotspots: (name, radius in m, number of aliases) for this page."""
    if not total:
        return NO_HOTSPOTS
    where = f" — page {page + 1} of {pages}" if pages > 1 else ""
    lines = [f"<b>Hotspots</b> ({total}){where}. Tap one to change it."]
    for name, radius_m, alias_count in hotspots:
        aliases = f", {alias_count} alias{'es' if alias_count != 1 else ''}" if alias_count else ""
        lines.append(f"• {esc(name)} — {radius_m:g} m{aliases}")
    return "\n".join(lines)


def hotspot_card(
    name: str, lat: float, lon: float, radius_m: float, aliases: tuple[str, ...]
) -> str:
    alias_text = f"<code>{esc(', '.join(aliases))}</code>" if aliases else "none"
    return (
        f"📍 <b>{esc(name)}</b>\n"
        f"Centre: <code>{lat:.6f}, {lon:.6f}</code>\n"
        f"Radius: {radius_m:g} m\n"
        f"Also called: {alias_text}"
    )


def hotspot_added(name: str, radius_m: float) -> str:
    return (
        f"✅ Hotspot added: <b>{esc(name)}</b>, radius {radius_m:g} m. Set its radius or the "
        "other names people use for it:"
    )


def hotspot_ask_rename(name: str) -> str:
    return f"What should “{esc(name)}” be called now? (2–80 characters, or /cancel)"


def hotspot_ask_radius(name: str, radius_m: float) -> str:
    return (
        f"How far around its centre counts as <b>{esc(name)}</b>? Now {radius_m:g} m.\n"
        "Send a number of metres (10–5000), or /cancel."
    )


def hotspot_ask_aliases(name: str, aliases: tuple[str, ...]) -> str:
    current = f"<code>{esc(', '.join(aliases))}</code>" if aliases else "none"
    return (
        f"Other names people use for <b>{esc(name)}</b> (e.g. “the fountain”).\nNow: {current}\n\n"
        "Send them separated by commas, <code>+ name, name</code> to add, "
        "<code>-</code> for none, or /cancel."
    )


def hotspot_confirm_remove(name: str) -> str:
    return (
        f"Remove <b>{esc(name)}</b>? Old reports keep it; new reports can't choose it. "
        "Adding a hotspot with the same name later brings it back."
    )


def hotspot_removed(name: str) -> str:
    return f"🗑 Removed {name[:60]}."  # a callback answer: plain text


# ---- sensitive categories ------------------------------------------------------------------
def sensitive_label(sensitive: bool) -> str:
    if sensitive:
        return "🔒 Sensitive: yes (alerts and exports leave what happened out)"
    return "Sensitive: no"


def sensitive_toggle(sensitive: bool) -> str:
    return "🔒 Sensitive: turn off" if sensitive else "🔒 Sensitive: turn on"


def category_sensitive_set(name: str, sensitive: bool) -> str:
    if sensitive:
        return (
            f"🔒 {esc(name)} is sensitive: alerts say category, place and time only, and "
            "exports leave its descriptions out."
        )
    return f"{esc(name)} is no longer sensitive."
