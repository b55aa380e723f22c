"""The main window's commands: one QAction each, with its shortcut, in the menus and the toolbar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from stsp_app.drills import DRILL_NAMES, get_drill


class WindowActions:
    """Builds the menus and the toolbar of ``window`` (a MainWindow); the actions the window enables and
    disables as its state changes are attributes."""

    def __init__(self, window) -> None:
        self._window = window
        clock = window.clock
        self.open = self._action("&Open video…", QKeySequence.StandardKey.Open, window.choose_video,
                                 "Open a video file")
        self.live = self._action("&Live camera…", "Ctrl+L", window.live.start, "Analyse a webcam live")
        self.stop_live = self._action("S&top live camera", "Ctrl+Shift+L", window.live.request_stop)
        self.export = self._action("&Export…", "Ctrl+E", window.choose_export,
                                   "Write the analysis on screen as CSV, JSON, TRC, MOT or C3D, with pictures")
        screenshot = self._action("Save &screenshot…", "Ctrl+Shift+S", window.choose_screenshot)
        self.clear_cache = self._action("&Delete cached analyses…", None, window.delete_cached_analyses,
                                        "Delete every stored analysis (personal data)")
        quit_app = self._action("&Quit", QKeySequence.StandardKey.Quit, window.close)
        self.analyse = self._action("&Analyse video", "Ctrl+R", window.start_analysis,
                                    "Analyse every frame of the open video")
        self.cancel = self._action("&Cancel analysis", "Esc", window.cancel_analysis)
        self.mark_in = self._action("Set &in point", "I", window.mark_in,
                                    "The next analysis starts at the frame shown (a stretch of a long video)")
        self.mark_out = self._action("Set &out point", "O", window.mark_out,
                                     "The next analysis ends at the frame shown")
        self.clear_stretch = self._action("Clear in and out points", "Alt+X", window.clear_stretch,
                                          "The next analysis covers the whole video")
        self.slow_motion = self._action("Filmed in slow &motion…", None, window.ask_slow_motion,
                                        "The rate a slow-motion video was filmed at, for real times, speeds "
                                        "and jump heights")
        settings = self._action("&Settings…", "Ctrl+,", window.edit_settings)
        # One action per drill: run it on the analysis on screen (its result goes to the drill panel).
        self.run_drill = {name: self._action(get_drill(name).title, None,
                                             lambda _=False, name=name: window.drill.run(name),
                                             f"Measure the {get_drill(name).movement} on the analysis on screen")
                          for name in DRILL_NAMES}
        playback = [
            self._action("&Play / pause", "Space", clock.toggle),
            self._action("P&revious frame", "Left", lambda: clock.step(-1)),
            self._action("&Next frame", "Right", lambda: clock.step(1)),
            self._action("Back 1 second", "Shift+Left", lambda: clock.step(-round(clock.fps))),
            self._action("Ahead 1 second", "Shift+Right", lambda: clock.step(round(clock.fps))),
            self._action("&Slower", "[", lambda: window.change_speed(-1)),
            self._action("&Faster", "]", lambda: window.change_speed(1)),
            self._action("Go to &start", "Home", lambda: clock.seek(0)),
            self._action("Go to &end", "End", lambda: clock.seek(clock.frame_count - 1)),
        ]
        reset_view = self._action("&Reset 3D view", "R", window.skeleton_panel.canvas.reset_view)
        self.technical = self._action("Show &technical details", "Ctrl+T", window.set_technical,
                                      "The models' device and speed, the jitter's technical name and unit")
        self.technical.setCheckable(True)
        self.technical.setChecked(window.settings.technical_details)
        shortcuts = self._action("&Keyboard shortcuts", "F1", window.show_shortcuts)
        self.about = self._action("&About STSP Coach", None, window.show_about,
                                  "The version, the licences, and where the data lives")

        menu = window.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self.open)
        recent_menu = file_menu.addMenu("Open &recent")
        recent_menu.aboutToShow.connect(lambda: window.fill_recent_menu(recent_menu))
        for action in (self.live, self.stop_live, None, self.export, screenshot, self.clear_cache, None, quit_app):
            file_menu.addSeparator() if action is None else file_menu.addAction(action)
        analysis_menu = menu.addMenu("&Analysis")
        for action in (self.analyse, self.cancel, None, self.mark_in, self.mark_out, self.clear_stretch,
                       self.slow_motion, None):
            analysis_menu.addSeparator() if action is None else analysis_menu.addAction(action)
        drill_menu = analysis_menu.addMenu("Run &drill")
        for action in self.run_drill.values():
            drill_menu.addAction(action)
        analysis_menu.addAction(settings)
        if window.records is not None:
            window.records.fill_menu(menu.addMenu("&Records"))
        playback_menu = menu.addMenu("&Playback")
        for action in playback:
            playback_menu.addAction(action)
        view_menu = menu.addMenu("&View")
        view_menu.addAction(reset_view)
        view_menu.addAction(self.technical)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(shortcuts)
        help_menu.addAction(self.about)

        toolbar = window.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.open, self.live, self.stop_live, None, self.analyse, self.cancel, self.export, None,
                       reset_view, settings):
            toolbar.addSeparator() if action is None else toolbar.addAction(action)

    def _action(self, text: str, shortcut, slot, tip: str = "") -> QAction:
        action = QAction(text, self._window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip or text} ({QKeySequence(shortcut).toString()})" if shortcut else tip or text)
        action.triggered.connect(slot)
        self._window.addAction(action)
        return action
