"""Add or edit a child: name or pseudonym, year of birth, sex, height (and what it changes), body mass,
dominant side, notes, consent. What the records refuse is shown in the dialog, which stays open with
everything typed kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QWidget)

from stsp_app.errors import InputError
from stsp_app.presenters.children import HEIGHT_SENTENCE, ChildFields
from stsp_app.records import Child, Consent
from stsp_app.records.validation import BODY_MASS_RANGE_KG, HEIGHT_RANGE_CM, OLDEST_AGE_YEARS

NOT_RECORDED = "not recorded"
_SEXES = ((None, NOT_RECORDED), ("F", "female"), ("M", "male"))
_SIDES = ((None, NOT_RECORDED), ("left", "left"), ("right", "right"))


def _optional_spin(box: QSpinBox | QDoubleSpinBox, low: float, high: float, value: float | None) -> None:
    """A spin box whose lowest step means "not recorded"."""
    box.setRange(low - 1, high)
    box.setSpecialValueText(NOT_RECORDED)
    box.setValue(box.minimum() if value is None else value)


def _optional_value(box: QSpinBox | QDoubleSpinBox) -> float | None:
    return None if box.value() == box.minimum() else box.value()


def _choice_box(choices: tuple, current) -> QComboBox:
    box = QComboBox()
    for value, label in choices:
        box.addItem(label, value)
    box.setCurrentIndex(next(i for i, (value, _) in enumerate(choices) if value == current))
    return box


class ChildDialog(QDialog):
    """``save`` stores the fields and returns the child as stored, or raises InputError saying what to correct."""

    def __init__(self, child: Child | None, save: Callable[[ChildFields], Child], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add a child" if child is None else f"Edit {child.display_name}")
        self._save = save
        self.saved: Child | None = None
        fields = ChildFields.of(child) if child is not None else ChildFields("")
        this_year = date.today().year
        self.name_box = QLineEdit(fields.display_name)
        self.name_box.setPlaceholderText("a name or a pseudonym")
        self.birth_year_box = QSpinBox()
        _optional_spin(self.birth_year_box, this_year - OLDEST_AGE_YEARS, this_year, fields.birth_year)
        self.sex_box = _choice_box(_SEXES, fields.sex)
        self.height_box = QDoubleSpinBox()
        self.height_box.setDecimals(1)
        self.height_box.setSuffix(" cm")
        _optional_spin(self.height_box, *HEIGHT_RANGE_CM, fields.height_cm)
        height_note = QLabel(HEIGHT_SENTENCE)
        height_note.setWordWrap(True)
        height_note.setStyleSheet("color: #a0a0a0;")
        self.mass_box = QDoubleSpinBox()
        self.mass_box.setDecimals(1)
        self.mass_box.setSuffix(" kg")
        _optional_spin(self.mass_box, *BODY_MASS_RANGE_KG, fields.body_mass_kg)
        self.side_box = _choice_box(_SIDES, fields.dominant_side)
        self.notes_box = QPlainTextEdit(fields.notes)
        self.notes_box.setMaximumHeight(70)
        self.consent_box = QCheckBox("given on")
        self.consent_date = QDateEdit()
        self.consent_date.setCalendarPopup(True)
        self.consent_date.setDisplayFormat("yyyy-MM-dd")
        self.consent_by = QLineEdit()
        self.consent_by.setPlaceholderText("by whom (a parent, the child…)")
        consent = fields.consent
        self.consent_box.setChecked(consent is not None)
        self.consent_date.setDate(QDate.currentDate() if consent is None else
                                  QDate(consent.date.year, consent.date.month, consent.date.day))
        self.consent_by.setText("" if consent is None else consent.given_by)
        self.consent_box.toggled.connect(self._enable_consent)
        self._enable_consent(consent is not None)
        consent_row = QHBoxLayout()
        consent_row.addWidget(self.consent_box)
        consent_row.addWidget(self.consent_date)
        consent_row.addWidget(self.consent_by, 1)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #ff6060; font-weight: bold;")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow("Name or pseudonym", self.name_box)
        layout.addRow("Year of birth", self.birth_year_box)
        layout.addRow("Sex", self.sex_box)
        layout.addRow("Height", self.height_box)
        layout.addRow("", height_note)
        layout.addRow("Body mass", self.mass_box)
        layout.addRow("Dominant side", self.side_box)
        layout.addRow("Notes", self.notes_box)
        layout.addRow("Consent to film", consent_row)
        layout.addRow(self.error_label)
        layout.addRow(buttons)
        self.setMinimumWidth(520)

    def _enable_consent(self, on: bool) -> None:
        self.consent_date.setEnabled(on)
        self.consent_by.setEnabled(on)

    def fields(self) -> ChildFields:
        birth_year = _optional_value(self.birth_year_box)
        consent = None
        if self.consent_box.isChecked():
            day = self.consent_date.date()
            consent = Consent(date(day.year(), day.month(), day.day()), self.consent_by.text())
        return ChildFields(
            display_name=self.name_box.text(),
            birth_year=None if birth_year is None else int(birth_year),
            sex=self.sex_box.currentData(),
            height_cm=_optional_value(self.height_box),
            body_mass_kg=_optional_value(self.mass_box),
            dominant_side=self.side_box.currentData(),
            notes=self.notes_box.toPlainText(),
            consent=consent,
        )

    def accept(self) -> None:
        try:
            self.saved = self._save(self.fields())
        except InputError as error:
            text = str(error)
            self.error_label.setText(f"Not saved: {text[:1].upper()}{text[1:]}.")
            self.error_label.show()
            return
        super().accept()
