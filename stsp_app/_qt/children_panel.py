"""The records panel (a dock at the window's side): search, the children (name, age, sessions), then the
selected child's sessions, newest first, each on a few lines (date and drill, key number, notes). Its buttons
are the records actions of :class:`~stsp_app._qt.records_controller.RecordsController`; double-clicking a
session opens it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QProgressBar, QPushButton, QSizePolicy, QToolButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from stsp_app.presenters.children import ChildRow
from stsp_app.presenters.sessions import SessionRow


def _button(action: QAction) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return button


class ChildrenPanel(QWidget):
    searchChanged = Signal(str)
    childChanged = Signal(object)    # the selected child's id, or None
    sessionChanged = Signal(object)  # the selected session's id, or None
    sessionOpened = Signal(int)      # a session double-clicked (or Enter)

    def __init__(self, child_actions: list[QAction], session_actions: list[QAction],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(300)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search children by name…")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(self.searchChanged)
        self.children_tree = QTreeWidget()
        self.children_tree.setHeaderLabels(["Name", "Age", "Sessions"])
        self.children_tree.setRootIsDecorated(False)
        self.children_tree.setUniformRowHeights(True)
        self.children_tree.setAlternatingRowColors(True)
        self.children_tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.children_tree.headerItem().setToolTip(1, "The age this year, from the year of birth")
        header = self.children_tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.children_tree.itemSelectionChanged.connect(lambda: self.childChanged.emit(self.selected_child()))
        self.sessions_label = QLabel("Sessions")
        font = self.sessions_label.font()
        font.setBold(True)
        self.sessions_label.setFont(font)
        self.sessions_list = QListWidget()
        self.sessions_list.setWordWrap(True)
        self.sessions_list.setSpacing(2)
        self.sessions_list.setAlternatingRowColors(True)
        self.sessions_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sessions_list.itemSelectionChanged.connect(lambda: self.sessionChanged.emit(self.selected_session()))
        self.sessions_list.itemActivated.connect(
            lambda item: self.sessionOpened.emit(int(item.data(Qt.ItemDataRole.UserRole))))
        self.progress_label = QLabel()
        self.progress_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setFormat("%v/%m frames")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the analysis; no session is saved")
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.cancel_button)
        self.progress_box = QWidget()
        progress_layout = QVBoxLayout(self.progress_box)
        progress_layout.setContentsMargins(0, 0, 0, 0)
        progress_layout.addWidget(self.progress_label)
        progress_layout.addLayout(progress_row)
        self.progress_box.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search_box)
        layout.addWidget(self.children_tree, 1)
        layout.addLayout(self._button_grid(child_actions, 3))
        layout.addWidget(self.sessions_label)
        layout.addWidget(self.sessions_list, 2)
        layout.addLayout(self._button_grid(session_actions, 2))
        layout.addWidget(self.progress_box)

    @staticmethod
    def _button_grid(actions: list[QAction], columns: int) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(3)
        for number, action in enumerate(actions):
            grid.addWidget(_button(action), number // columns, number % columns)
        return grid

    def selected_child(self) -> int | None:
        items = self.children_tree.selectedItems()
        return int(items[0].data(0, Qt.ItemDataRole.UserRole)) if items else None

    def selected_session(self) -> int | None:
        items = self.sessions_list.selectedItems()
        return int(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def set_children(self, rows: list[ChildRow], select: int | None) -> None:
        """Show the children; ``select``: the id to keep or make selected (None: none)."""
        self.children_tree.blockSignals(True)
        self.children_tree.clear()
        for row in rows:
            item = QTreeWidgetItem([row.name, row.age, str(row.sessions)])
            item.setData(0, Qt.ItemDataRole.UserRole, row.child_id)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
            self.children_tree.addTopLevelItem(item)
            if row.child_id == select:
                item.setSelected(True)
                self.children_tree.setCurrentItem(item)
        self.children_tree.blockSignals(False)
        self.childChanged.emit(self.selected_child())

    def set_sessions(self, child_name: str | None, rows: list[SessionRow], select: int | None = None) -> None:
        self.sessions_label.setText(f"Sessions of {child_name}" if child_name else "Sessions")
        self.sessions_list.blockSignals(True)
        self.sessions_list.clear()
        for row in rows:
            lines = [f"{row.date}   {row.drill}", row.result] + ([f"“{row.notes}”"] if row.notes else [])
            item = QListWidgetItem("\n".join(line for line in lines if line))
            item.setData(Qt.ItemDataRole.UserRole, row.session_id)
            self.sessions_list.addItem(item)
            if row.session_id == select:
                item.setSelected(True)
                self.sessions_list.setCurrentItem(item)
        self.sessions_list.blockSignals(False)
        self.sessionChanged.emit(self.selected_session())

    def show_progress(self, text: str | None) -> None:
        """Show a new session's analysis under way (None hides it)."""
        self.progress_box.setVisible(text is not None)
        self.progress_label.setText(text or "")
        self.cancel_button.setEnabled(text is not None)
        if text is not None:
            self.progress_bar.setRange(0, 0)  # busy until the first frames are reported

    def set_progress(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
