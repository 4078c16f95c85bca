"""Questions, answers and reports made through the services, as the pages make them."""

from questions import services


def ask(article, author, text="Сколько хранить журнал записи?"):
    return services.question_ask(article=article, author=author, text=text)


def answer(question, author, text="Пять лет, по приказу № 12."):
    return services.answer_post(question=question, author=author, text=text)


def report(article, author, text="Устаревший телефон", quote=""):
    return services.error_report_submit(article=article, author=author, text=text, quote=quote)
