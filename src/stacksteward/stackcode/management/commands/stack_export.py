"""``steward export [--format yaml|csv|xlsx] [-o PATH]``: export the whole stack."""

from django.core.management.base import BaseCommand, CommandError

from stacksteward.stackcode.exporter import FORMATS, export_stack, write_export


class Command(BaseCommand):
    help = ("Export the whole stack in the stack-as-code format. YAML goes to standard output unless -o is "
            "given; CSV writes a zip of one file per section (or one file per section into a folder when -o "
            "is a folder or ends with /); XLSX writes a workbook with one sheet per section.")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="yaml", help="yaml (default), csv or xlsx")
        parser.add_argument("-o", "--output", metavar="PATH", help="where to write the export")

    def handle(self, *args, format="yaml", output=None, **options):
        if not output:
            if format != "yaml":
                raise CommandError(f"--format {format} writes a binary file: give -o PATH "
                                   f"(for example -o stack.{'zip' if format == 'csv' else 'xlsx'}).")
            self.stdout.write(export_stack("yaml").decode("utf-8"), ending="")
            return
        path = write_export(format, output)
        self.stdout.write(f"Exported the stack as {format.upper()} to {path}")
