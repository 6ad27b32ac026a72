"""makemessages without fuzzy matching: msgmerge's guesses for new Vietnamese msgids are
unrelated English strings (e.g. "tường" guessed as "Ward"), worse than an empty entry."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
