"""Lesson: the seed section (or a lecturer's own lesson file) as a guided walk through the live pages,
one step per view, driven by buttons or a presenter's clicker."""

from ui.lesson import chosen_lesson, current_step, show_step, step_layout
from ui.page import setup_page
from ui.registry import page_info

LESSON_PAGE = page_info("pages/10_Lesson.py")
settings = setup_page(LESSON_PAGE, titled=False)  # the title goes beside the step's view
lesson, name = chosen_lesson()
words, view = step_layout(LESSON_PAGE)
number = current_step(lesson, name or lesson.title, words)
show_step(lesson.steps[number - 1], number, settings, words, view, share=name)
