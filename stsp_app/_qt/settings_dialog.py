"""Edit the persistent settings: model size, device, smoothing strength, small people, height, length unit,
face blurring."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
                               QWidget)

from stsp_app._qt.app_settings import (DEVICES, LENGTH_UNITS, MAX_STATURE_CM, MIN_STATURE_CM, MODEL_VARIANTS,
                                       AppSettings)

_DEVICE_LABELS = {"auto": "Automatic (GPU when available)", "cpu": "CPU", "cuda": "CUDA GPU"}


class SettingsDialog(QDialog):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._settings = settings
        self.model_box = QComboBox()
        self.model_box.addItems(MODEL_VARIANTS)
        self.model_box.setCurrentText(settings.model)
        self.model_box.setToolTip("lite: fastest, heavy: most accurate")
        self.device_box = QComboBox()
        for device in DEVICES:
            self.device_box.addItem(_DEVICE_LABELS[device], device)
        self.device_box.setCurrentIndex(DEVICES.index(settings.device))
        self.smoothing_box = QDoubleSpinBox()
        self.smoothing_box.setRange(0.0, 3.0)
        self.smoothing_box.setSingleStep(0.25)
        self.smoothing_box.setValue(settings.smoothing)
        self.smoothing_box.setToolTip("0: raw keypoints; higher: steadier but slower to follow fast moves")
        self.small_people_box = QCheckBox("Also find small people in wide shots")
        self.small_people_box.setChecked(settings.small_people)
        self.small_people_box.setToolTip("Once a second the detector also looks at each quarter of the picture: "
                                         "finds children at the back of a hall, and sometimes a false person")
        self.stature_box = QDoubleSpinBox()
        self.stature_box.setRange(MIN_STATURE_CM - 1.0, MAX_STATURE_CM)
        self.stature_box.setSpecialValueText("unknown")  # shown at the minimum
        self.stature_box.setSuffix(" cm")
        self.stature_box.setDecimals(0)
        self.stature_box.setValue(settings.stature_cm or self.stature_box.minimum())
        self.stature_box.setToolTip("For videos opened with File → Open: the child's height sets the size of the "
                                    "3D skeleton, not the angles; unknown: typical proportions. A session of a "
                                    "child in the records uses the height in their profile.")
        self.unit_box = QComboBox()
        self.unit_box.addItems(tuple(LENGTH_UNITS))
        self.unit_box.setCurrentText(settings.length_unit)
        self.blur_box = QCheckBox("Blur faces in exported pictures and reports")
        self.blur_box.setChecked(settings.blur_faces)
        self.blur_box.setToolTip("Every face the analysis locates is blurred; turn off only with the consent "
                                 "of the people filmed")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow("Keypoint model (lite: fastest, heavy: most precise)", self.model_box)
        layout.addRow("Run the models on", self.device_box)
        layout.addRow("Steadiness of the skeleton (0: none)", self.smoothing_box)
        layout.addRow("People", self.small_people_box)
        layout.addRow("Child's height (opened videos)", self.stature_box)
        layout.addRow("Length unit", self.unit_box)
        layout.addRow("Privacy", self.blur_box)
        layout.addRow(buttons)

    def accept(self) -> None:
        self._settings.model = self.model_box.currentText()
        self._settings.device = self.device_box.currentData()
        self._settings.smoothing = self.smoothing_box.value()
        self._settings.small_people = self.small_people_box.isChecked()
        self._settings.length_unit = self.unit_box.currentText()
        self._settings.blur_faces = self.blur_box.isChecked()
        stature = self.stature_box.value()
        self._settings.stature_cm = 0.0 if stature < MIN_STATURE_CM else stature
        super().accept()
