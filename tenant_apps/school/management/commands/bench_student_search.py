"""``manage.py bench_student_search``: time student search with thousands of students.

Adds made-up students to a school inside a transaction, times the searches a user makes
(part of a name, a number, a group, two terms) and rolls everything back, so the school
is left as it was. Prints the median time per search and whether the trigram index served it.
"""

import datetime
import random
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from faker import Faker

from tenant_apps.school.models import Group, GroupMembership, Location, Student
from tenant_apps.school.selectors import search_students
from tenants.context import school_schema


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time student search in one school with N extra made-up students (rolled back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schema", required=True, help="schema of the school to use")
        parser.add_argument("--students", type=int, default=5000)
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--explain", action="store_true", help="print each query plan")

    def handle(self, *args: Any, **options: Any) -> None:
        with school_schema(options["schema"]):
            try:
                with transaction.atomic():
                    self._run(options["students"], options["runs"], options["explain"])
                    raise _Rollback
            except _Rollback:
                pass

    def _run(self, count: int, runs: int, explain: bool) -> None:
        fake = Faker("nl_NL")
        fake.seed_instance(1)
        rng = random.Random(1)
        location = Location.objects.create(name="bench-search-location")
        groups = [Group.objects.create(name=f"BENCH{n:02d}", location=location) for n in range(40)]
        students = Student.objects.bulk_create(
            Student(
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                date_of_birth=datetime.date(2011, 1, 1),
                student_number=f"BENCH{n:06d}",
                location=location,
                enrolled_on=datetime.date(2024, 8, 1),
            )
            for n in range(count)
        )
        GroupMembership.objects.bulk_create(
            GroupMembership(
                group=rng.choice(groups), student=student, start=datetime.date(2024, 8, 1)
            )
            for student in students
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE school_student; ANALYZE school_groupmembership")
        total = Student.objects.count()

        sample = next(s for s in students[count // 2 :] if " " not in s.last_name)
        searches = {
            "part of a last name": sample.last_name[1:5].lower(),
            "student number": sample.student_number,
            "group": "bench07",
            "first and last name": f"{sample.first_name} {sample.last_name}",
        }
        self.stdout.write(f"{total} students in the school; median of {runs} runs:")
        for label, query in searches.items():
            timings, found = [], 0
            for _run in range(runs):
                started = time.perf_counter()
                found = len(list(search_students(query)[:200]))
                timings.append((time.perf_counter() - started) * 1000)
            plan = self._plan(query)
            served = "trigram index" if "student_search_trgm" in plan else "other plan"
            if explain:
                self.stdout.write(plan)
            self.stdout.write(
                f"  {label:22} {statistics.median(timings):7.2f} ms  {found:4} found  ({served})"
            )

    def _plan(self, query: str) -> str:
        sql, params = search_students(query)[:200].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
