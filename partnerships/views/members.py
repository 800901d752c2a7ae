"""Pages for member data: a cluster's member list, its import and export, one member."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView

from escp_portal.accounts.policy import can_edit
from escp_portal.forms import add_validation_error
from escp_portal.pages import ConflictCheckMixin, ForgivingPaginationMixin
from escp_portal.sorting import Column, SortableListMixin

from .. import exports, selectors
from ..filters import MemberFilterSet
from ..forms import MemberForm, MemberImportForm
from ..imports import FileError
from ..models import ClusterOrganisation, Member
from ..rules import can_edit_member, can_manage_members, can_view_members
from ..services import member_uploads, members


class ClusterMembersMixin(LoginRequiredMixin):
    """The cluster from the URL; its member data is for its managers and its partnerships'
    coordinators only: anyone else gets 404, as if there were nothing here."""

    manage = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.cluster = get_object_or_404(ClusterOrganisation, pk=kwargs["cluster_pk"])
        allowed = (can_manage_members if self.manage else can_view_members)(
            request.user, self.cluster
        )
        if not allowed:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cluster=self.cluster,
            can_manage=can_manage_members(self.request.user, self.cluster),
            **kwargs,
        )


class MemberListView(ClusterMembersMixin, SortableListMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = MemberFilterSet
    sort_columns = {
        "name": Column(gettext_lazy("Name"), ("name", "pk")),
        "country": Column(gettext_lazy("Country"), ("country", "name", "pk")),
    }
    default_sort = "name"
    template_name = "partnerships/member_list.html"
    paginate_by = 50
    strict = True

    def get_queryset(self):
        return selectors.members_of(self.cluster, self.request.user)

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        for fixed in ("cluster", "partnership"):  # the page is one cluster's list
            filterset.filters.pop(fixed)
        return filterset

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(query=query.urlencode(), **kwargs)


class MemberExportView(ClusterMembersMixin, View):
    """The filtered list as CSV or XLSX, with the import's columns (so it can go back in)."""

    def get(self, request, cluster_pk, fmt):
        members_qs = selectors.members_of(self.cluster, request.user)
        filterset = MemberFilterSet(request.GET, queryset=members_qs, request=request)
        if not filterset.is_valid():
            return HttpResponse(
                _("The filters are not valid: %(errors)s") % {"errors": filterset.errors},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        rows = exports.export_rows(filterset.qs, with_contacts=False)
        return _download(rows, fmt, f"members-{self.cluster.pk}")


class MemberTemplateView(ClusterMembersMixin, View):
    manage = True

    def get(self, request, cluster_pk, fmt):
        return _download([], fmt, "member-import-template")


def _download(rows, fmt, stem):
    response = HttpResponse(exports.member_file(rows, fmt), content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


class MemberCreateView(ConflictCheckMixin, ClusterMembersMixin, FormView):
    manage = True
    form_class = MemberForm
    template_name = "partnerships/member_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "with_since": True}

    def form_valid(self, form):
        try:
            member = members.member_create(
                actor=self.request.user,
                cluster=self.cluster,
                competences=form.competences(),
                member_since=form.cleaned_data.get("member_since"),
                **form.member_data(),
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s was added.") % {"name": member.name})
        return redirect(member)


class MemberImportView(ClusterMembersMixin, FormView):
    manage = True
    form_class = MemberImportForm
    template_name = "partnerships/member_import.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            imports=selectors.recent_imports(self.cluster, self.request.user), **kwargs
        )

    def form_valid(self, form):
        try:
            member_import = member_uploads.import_upload_and_check(
                actor=self.request.user, cluster=self.cluster, upload=form.cleaned_data["file"]
            )
        except FileError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        return redirect(member_import)


class MemberImportDetailView(LoginRequiredMixin, DetailView):
    template_name = "partnerships/member_import_detail.html"
    context_object_name = "member_import"

    def get_queryset(self):
        return selectors.member_imports(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cluster=self.object.cluster, **selectors.import_preview(self.object), **kwargs
        )

    def post(self, request, *args, **kwargs):
        member_import = self.get_object()
        if request.POST.get("action") == "discard":
            try:
                member_uploads.import_discard(actor=request.user, member_import=member_import)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(member_import)
            messages.info(request, _("The upload was discarded; nothing was imported."))
            return redirect("partnerships:member_import", cluster_pk=member_import.cluster_id)
        try:
            member_uploads.import_confirm_and_apply(actor=request.user, member_import=member_import)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(member_import)


class MemberImportStatusView(LoginRequiredMixin, View):
    """The import's progress as JSON, for the page to follow without reloading."""

    def get(self, request, pk):
        member_import = get_object_or_404(selectors.member_imports(request.user), pk=pk)
        return JsonResponse(selectors.import_status(member_import))


class MemberObjectMixin(LoginRequiredMixin):
    def get_member(self):
        return get_object_or_404(selectors.member_detail(self.request.user), pk=self.kwargs["pk"])


class MemberDetailView(MemberObjectMixin, TemplateView):
    template_name = "partnerships/member_detail.html"

    def get_context_data(self, **kwargs):
        member = self.get_member()
        user = self.request.user
        return super().get_context_data(
            member=member,
            can_edit=can_edit_member(user, member),
            **selectors.member_page(member, user),
            **kwargs,
        )


class MemberUpdateView(ConflictCheckMixin, MemberObjectMixin, FormView):
    form_class = MemberForm
    template_name = "partnerships/member_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.member = self.get_member()
        if not can_edit_member(request.user, self.member):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Member.objects.get(pk=self.member.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, **kwargs)

    def form_valid(self, form):
        try:
            members.member_update(
                actor=self.request.user,
                member=Member.objects.get(pk=self.member.pk),
                competences=form.competences(),
                **form.member_data(),
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The member was saved."))
        return redirect(self.member)


def _posted_cluster(request) -> ClusterOrganisation:
    """The cluster the form names; 404 for anything but the id of one (not a server error)."""
    try:
        pk = int(request.POST.get("cluster", ""))
    except ValueError:
        raise Http404 from None
    return get_object_or_404(ClusterOrganisation, pk=pk)


class MemberRemoveView(MemberObjectMixin, View):
    def post(self, request, pk):
        member = self.get_member()
        cluster = _posted_cluster(request)
        try:
            deleted = members.member_remove(actor=request.user, member=member, cluster=cluster)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(member)
        if deleted:
            text = _("%(name)s was deleted.")
        else:
            text = _("%(name)s is no longer a member of this cluster.")
        messages.success(request, text % {"name": member.name})
        return redirect("partnerships:member_list", cluster_pk=cluster.pk)


class MemberJoinView(MemberObjectMixin, View):
    """Add the member to another cluster the user manages (a member may be in several)."""

    def post(self, request, pk):
        member = self.get_member()
        cluster = _posted_cluster(request)
        try:
            members.member_join(actor=request.user, member=member, cluster=cluster)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s is now also a member of %(cluster)s.")
                % {"name": member.name, "cluster": cluster.name},
            )
        return redirect(member)


class MemberEraseView(MemberObjectMixin, TemplateView):
    template_name = "partnerships/member_confirm_erase.html"

    def get_context_data(self, **kwargs):
        member = self.get_member()
        if not can_edit(self.request.user, member):
            raise PermissionDenied
        return super().get_context_data(member=member, **kwargs)

    def post(self, request, pk):
        member = self.get_member()
        members.member_erase(actor=request.user, member=member)
        messages.success(
            request,
            _("The member's personal and identifying data was erased. Its counts remain."),
        )
        return redirect(member)


class MemberPersonalDataView(MemberObjectMixin, View):
    def get(self, request, pk):
        data = exports.member_personal_data(actor=request.user, member=self.get_member())
        response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
        response["Content-Disposition"] = f'attachment; filename="member-{pk}-data.json"'
        return response
