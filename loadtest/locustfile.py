"""The morning rush: teachers of several schools open their group and register absence.

Each simulated teacher uses the teacher app API of their own school (the Host header
picks the school): list my groups, open a group with today's absence, and register one
lesson for the whole group. ``loadtest.run`` prepares the teachers and starts the server.
"""

import datetime
import itertools
import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

LOGINS = json.loads(Path(os.environ["LOADTEST_LOGINS"]).read_text())
_next_login = itertools.count()
CODES = ["Z", "T", "S", "HA", None, None, None, None]


class Teacher(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        login = LOGINS[next(_next_login) % len(LOGINS)]
        self.group_id = login["group_id"]
        self.client.headers.update(
            {"Host": login["host"], "Authorization": f"Bearer {login['token']}"}
        )
        self.student_ids: list[int] = []

    @task(1)
    def my_groups(self) -> None:
        self.client.get("/api/v1/groups/", name="GET groups")

    @task(3)
    def open_group(self) -> None:
        response = self.client.get(
            f"/api/v1/groups/{self.group_id}/students/", name="GET group students"
        )
        if response.ok:
            self.student_ids = [student["id"] for student in response.json()]

    @task(3)
    def register_lesson(self) -> None:
        if not self.student_ids:
            self.open_group()
            return
        marks = [{"student": sid, "code": random.choice(CODES)} for sid in self.student_ids]
        self.client.post(
            "/api/v1/absences/",
            json={
                "date": datetime.date.today().isoformat(),
                "period": random.randint(1, 8),
                "marks": marks,
            },
            name="POST absences",
        )
