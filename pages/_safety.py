"""Page-side safety nets: the app's uncaught-error handler, and how an unavailable route is shown."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from routes.core.incidents import log_incident
from routes.text.i18n import DEFAULT_LANG, resolve_lang, t

#: Session key of the page language (pages/_shared.py writes it); read here without importing the page helpers, so
#: the error handler works even when they are what failed.
LANG_STATE_KEY = "guide_lang"


def _lang() -> str:
    try:
        return resolve_lang(st.session_state.get(LANG_STATE_KEY, DEFAULT_LANG))
    except Exception:  # noqa: BLE001 - no session (e.g. called outside a script run): the default language
        return DEFAULT_LANG


def on_script_error(exc: Exception) -> bool:
    """st.App's ``on_script_error``: log the traceback server-side under an error id and show the visitor or editor
    only a bilingual message with that id. Returns True so Streamlit shows no exception of its own."""
    error_id = log_incident(exc, where="page script")
    try:
        st.error(t("error.script", _lang(), error_id=error_id), icon=":material/error:")
    except Exception:  # noqa: BLE001 - outside a script run there is nothing to draw on; the log has it
        pass
    return True


def viewer_is_editor() -> bool:
    """A signed-in editor or admin is looking at this (public) page: show reasons, not just "unavailable"."""
    try:
        from pages.editor_common import current_session

        sess = current_session()
    except Exception:  # noqa: BLE001 - no way to tell: treat as a visitor, who is told less
        return False
    return sess is not None and getattr(sess, "role", "") in ("editor", "admin")


def show_unavailable(exc: object, lang: str, *, title: str = "") -> None:
    """An unavailable route: visitors see that it is unavailable, editors also see why."""
    if title:
        st.markdown(f"**{title}** · {t('unavailable.card', lang)}")
    st.warning(exc.message(lang), icon=":material/block:")
    if viewer_is_editor():
        st.caption(t("unavailable.editor_note", lang, why=exc.why(lang)))


@contextmanager
def isolated(lang: str, *, where: str) -> Iterator[None]:
    """Run one part of a page (a card, a map, a chart) so that its failure shows as "unavailable" with an error id
    there and the rest of the page still renders. Streamlit's own control flow (st.stop, st.rerun) passes through."""
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

    try:
        yield
    except (RerunException, StopException):
        raise
    except Exception as exc:  # noqa: BLE001 - one part's defect must not take the page down
        error_id = log_incident(exc, where=where)
        st.warning(t("error.part", lang, error_id=error_id), icon=":material/block:")
