"""The discussion of a record through the API: `GET /api/comments/?mission=UNAMSIL&record=
incidents.incident&id=42` lists it (oldest first, paginated), `POST /api/comments/` with
{"mission", "record", "id", "body", "parent"} adds a comment. The same gate and services as the
pages (core.comments): a record the user may not see is a 404, a refused mention a 400 naming
the person in `body`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from . import comments, gate
from .api import Pagination
from .models import Comment


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author_name", read_only=True)
    body = serializers.SerializerMethodField()
    mentions = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "parent", "author", "body", "created_at", "withdrawn_at", "mentions"]

    def get_body(self, comment) -> str:
        return "" if comment.withdrawn_at else comment.body

    def get_mentions(self, comment) -> list[str]:
        return [mention.user.get_username() for mention in comment.mentions.all()]


class CommentWriteSerializer(serializers.Serializer):
    mission = serializers.CharField()
    record = serializers.CharField(help_text="the record's model, e.g. incidents.incident")
    id = serializers.IntegerField(min_value=1)
    body = serializers.CharField(max_length=4000)
    parent = serializers.IntegerField(min_value=1, required=False, allow_null=True)


def _mission_access(user, acronym):
    try:
        return gate.mission_access_or_404(user, acronym)
    except Http404:
        raise ValidationError({"mission": [_("Not one of your missions.")]}) from None


class CommentViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination

    @extend_schema(
        parameters=[
            OpenApiParameter("mission", str, required=True, description="Mission acronym"),
            OpenApiParameter("record", str, required=True, description="The record's model, e.g. incidents.incident"),
            OpenApiParameter("id", int, required=True, description="The record's id"),
        ],
        responses=CommentSerializer(many=True),
    )
    def list(self, request, format=None):
        params = request.query_params
        access = _mission_access(request.user, params.get("mission"))
        try:
            pk = int(params.get("id", ""))
        except ValueError:
            raise ValidationError({"id": [_("A record id is required.")]}) from None
        entry, record = comments.record_or_404(request.user, access, params.get("record", ""), pk)
        rows = (
            Comment.objects.filter(content_type=comments.content_type_of(entry), object_id=record.pk)
            .select_related("author")
            .prefetch_related("mentions__user")
            .order_by("created_at", "id")
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(request=CommentWriteSerializer, responses={201: CommentSerializer})
    def create(self, request, format=None):
        data = CommentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        access = _mission_access(request.user, values["mission"])
        _entry, record = comments.record_or_404(request.user, access, values["record"], values["id"])
        try:
            comment = comments.post_comment(request.user, access, record, values["body"], values.get("parent"))
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("comments", CommentViewSet, basename="api-comment")
