"""The write-up compose form: it checks what was posted; writeup_services stores it."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from markdownx.widgets import MarkdownxWidget

from notes.models import WriteUp

TEXT_MAX_CHARS = 100_000
SUMMARY_MAX_CHARS = 500
MAX_VERSION = 2**31 - 1  # what the version column holds on every database


class PreviewOnlyMarkdownxWidget(MarkdownxWidget):
    """markdownx's textarea and preview box, without its drop-to-upload.

    Photos come from the notes, not from uploads here; an empty upload path tells
    writeup.js (and anyone reading the page) that there is nowhere to upload to.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-markdownx-upload-urls-path"] = ""
        return context


class CoverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, photo):
        return photo.caption or photo.session.title


class WriteUpForm(forms.ModelForm):
    intro = forms.CharField(
        label=_("Introduction"), required=False, max_length=TEXT_MAX_CHARS, strip=False
    )
    closing = forms.CharField(
        label=_("Closing"), required=False, max_length=TEXT_MAX_CHARS, strip=False
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=SUMMARY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences for the feed, search engines and link previews."),
    )
    # The version the texts were based on: a save based on an older one is refused (409).
    base_version = forms.IntegerField(
        label=_("Version"), min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput
    )

    class Meta:
        model = WriteUp
        fields = ["title", "summary", "language", "cover_photo", "intro", "closing"]
        labels = {"language": _("Language of the write-up")}
        help_texts = {"language": _("Its page, its day headings and its export use it.")}

    def __init__(self, *args, cover_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_version"].initial = self.instance.version if self.instance.pk else 0
        # Each language in its own words: a Korean write-up is "한국어" whatever the page's language.
        self.fields["language"].choices = [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]
        self.fields["cover_photo"] = CoverChoiceField(
            queryset=cover_choices,
            required=False,
            blank=True,
            label=_("Cover photo"),
            empty_label=_("No cover photo"),
            widget=forms.RadioSelect,
        )
        for name, placeholder in (
            ("intro", _("Why you went, what you hoped for, what stood out. Markdown works.")),
            ("closing", _("What you take home, thanks, what next. Markdown works.")),
        ):
            self.fields[name].widget = PreviewOnlyMarkdownxWidget(
                attrs={"rows": 8, "spellcheck": "true", "placeholder": placeholder}
            )
