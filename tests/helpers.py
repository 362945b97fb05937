"""Shared test data and helpers: the two test schools and a login through the real page."""

from dataclasses import dataclass

from django.test import Client

PASSWORD = "correct-horse-battery"


@dataclass(frozen=True)
class SchoolFixture:
    schema: str
    domain: str
    username: str
    student_number: str
    student_last_name: str


SCHOOL_A = SchoolFixture("school_11aa00", "school-a.localhost", "anna", "A-0001", "Aalbers")
SCHOOL_B = SchoolFixture("school_22bb00", "school-b.localhost", "bram", "B-0001", "Bakker")


def login(host: str, username: str, password: str = PASSWORD) -> Client:
    """Sign in through the school's login page (middleware included) and return the client."""
    client = Client(HTTP_HOST=host)
    response = client.post("/inloggen/", {"username": username, "password": password})
    assert response.status_code == 302, "login failed"
    return client
