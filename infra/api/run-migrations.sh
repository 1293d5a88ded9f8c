#!/usr/bin/env bash
# Applies database migrations with the new api image before the api stack changes the service:
# points the api-migrate Cloud Run job (infra/api/migrations.tf) at IMAGE_TAG and runs it,
# waiting for the result. A failed migration fails the deploy before any revision changes.
#
# On the very first deploy the job does not exist until infra-api is applied; then this says so,
# exits 0 and writes ran=false to $GITHUB_OUTPUT so the workflow runs it again after the apply.
#
# Env: GCP_PROJECT_ID, GCP_REGION, IMAGE_REGISTRY, IMAGE_TAG.
set -euo pipefail

: "${GCP_PROJECT_ID:?set GCP_PROJECT_ID}"
: "${GCP_REGION:?set GCP_REGION}"
: "${IMAGE_REGISTRY:?set IMAGE_REGISTRY to <region>-docker.pkg.dev/<project>/shelfwatch}"
: "${IMAGE_TAG:?set IMAGE_TAG to the api image tag (the commit sha)}"

job=api-migrate
where=(--project "$GCP_PROJECT_ID" --region "$GCP_REGION")

report() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "ran=$1" >>"$GITHUB_OUTPUT"; fi
}

if ! described="$(gcloud run jobs describe "$job" "${where[@]}" --format='value(name)' 2>&1)"; then
  if grep -qiE 'not found|cannot find' <<<"$described"; then
    echo "The $job job does not exist yet: applying infra-api creates it; migrations run after that."
    report false
    exit 0
  fi
  echo "$described" >&2
  exit 1
fi

gcloud run jobs update "$job" "${where[@]}" --image "${IMAGE_REGISTRY}/api:${IMAGE_TAG}" --quiet
gcloud run jobs execute "$job" "${where[@]}" --wait
report true
