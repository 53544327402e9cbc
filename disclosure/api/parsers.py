"""The API's request parser."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """REST framework's, except that a document nested deeper than Python's decoder goes is a 400 like
    any other unreadable body: the decoder raises RecursionError, which is no ValueError, so REST
    framework let it through as a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("请求体 JSON 嵌套过深") from None
