"""POST /rows/: check the body, store one row, answer its id (201)."""

from django.urls import path
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Row


class RowSerializer(serializers.ModelSerializer):
    class Meta:
        model = Row
        fields = ["id", "client_id", "narrative"]


class Rows(APIView):
    def post(self, request):
        serializer = RowSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save(user=request.user)
        return Response(serializer.data, status=status.HTTP_201_CREATED)


urlpatterns = [path("rows/", Rows.as_view(), name="floor-rows")]
