"""Given names and surnames for demo debtors, a spread like a US consumer portfolio's."""

from __future__ import annotations

FIRST_NAMES: tuple[str, ...] = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Christopher", "Karen", "Charles", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony",
    "Sandra", "Mark", "Ashley", "Donald", "Kimberly", "Steven", "Emily", "Andrew", "Donna",
    "Joshua", "Michelle", "Kevin", "Carol", "Brian", "Amanda", "Tyrone", "Keisha", "Darnell",
    "Latoya", "Wei", "Mei", "Hiroshi", "Priya", "Rahul", "Fatima", "Omar", "Nguyen", "Linh",
    "Olga", "Dmitri", "Aaliyah", "Jamal", "Shanice", "Connor", "Siobhan", "Giulia", "Marco",
)  # fmt: skip
# Debtors who prefer Spanish in the demo get these names, so scripts in Spanish can be tried.
SPANISH_FIRST_NAMES: tuple[str, ...] = (
    "José", "María", "Luis", "Carmen", "Juan", "Guadalupe", "Carlos", "Rosa", "Jorge", "Ana",
    "Miguel", "Lucía", "Alejandro", "Sofía", "Javier", "Isabel", "Ramón", "Elena",
)  # fmt: skip
LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris",
    "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green",
    "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips",
    "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook",
    "Rogers", "Chen", "Wang", "Kim", "Patel", "Singh", "Tran", "Nguyen", "Ivanov", "O'Brien",
    "Kowalski", "Rossi", "Okafor", "Washington", "Jefferson", "Brooks", "Bennett", "Price",
)  # fmt: skip
SPANISH_LAST_NAMES: tuple[str, ...] = (
    "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez",
    "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Reyes", "Morales", "Cruz", "Ortiz",
)  # fmt: skip
EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.net", "example.org")
