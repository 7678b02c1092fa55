"""A stand-in for an endpoint that requests a background job (meeting packs are built
on another branch): POST answers 202 with the job row, as the pack endpoint will."""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from marac.jobs.services import enqueue_job


class RequestSelfTestJob(APIView):
    def post(self, request):
        job = enqueue_job("selftest.sleep", {"seconds": 0})
        return Response({"job": job.pk, "status": job.status}, status=202)


urlpatterns = [
    path("selftest-job/", RequestSelfTestJob.as_view()),
    path("api/v1/", include("api.urls")),
]
