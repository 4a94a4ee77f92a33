"""Fathers' names in patronymics and parentage (`ncen.search.evidence.other_names`): two
names chosen from a short list are two fathers however alike they score; spellings of one
name are one father."""

from __future__ import annotations

import pytest

from ncen.search.evidence import other_names, same_father
from ncen.search.keys import analyse


def _last(name: str):
    return analyse(name)[-1]


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Rasulovich", "Рашидович"),  # the name score forgives these as a slip
        ("Tagirovich", "Тимурович"),
        ("Ruslanovich", "Рустамович"),
        ("Ildarovich", "Ильнурович"),
        ("Nikolayevich", "Никитич"),  # the patronymic of Nikita is -ich, not -ovich
        ("Hamid", "Hamad"),  # one letter apart, but a and i tell Arabic names apart
        ("Karim", "Karam"),
        ("Hasan", "Hussain"),
        ("Rashidovich", "Rashadovich"),
    ],
)
def test_fathers_names_that_look_alike_are_two_fathers(query, record):
    assert other_names(_last(query), _last(record))


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Rustamovic", "Рустамович"),  # a slip
        ("Nikolayevich", "Николаевич"),  # transliteration habits
        ("Gennadyevich", "Геннадьевич"),
        ("Mukhamedovich", "Мухаммадович"),
        ("Aleksandrovich", "Alexandrovich"),
        ("Dzhuraevich", "Juraevich"),
        ("Ghulam Nabi", "Ghulam Nabee"),
        ("Mahmood", "Mahmud"),
        ("Yusof", "Yusuf"),
        ("Salih", "Saleh"),  # e is a, i or u in transcriptions
        ("Abdelkader", "Abdulkadir"),
        ("Osman", "Usman"),
        ("Naseer", "Nasir"),
        ("Hassan", "Hasan"),
    ],
)
def test_spellings_of_one_name_are_one_father(query, record):
    assert not other_names(_last(query), _last(record))


def test_a_patronymic_is_made_of_its_fathers_name():
    assert same_father(_last("Rustamovich"), _last("Rustam"))
    assert same_father(_last("Bolatuly"), _last("Bolat"))
    assert not same_father(_last("Ruslanovich"), _last("Rustam"))


def test_patronymics_of_names_in_a_are_patronymics():
    from ncen.search.variants import is_patronymic

    assert is_patronymic("nikitich")
    assert is_patronymic("ilyinichna")
    assert not is_patronymic("babich")  # a family name
