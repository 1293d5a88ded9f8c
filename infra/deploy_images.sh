#!/usr/bin/env bash
# Builds and pushes the images one deploy needs, tagged IMAGE_TAG (the commit sha): every
# affected app, plus the app of every affected infra stack, since that stack's tf-plan runs the
# image with this tag. The apps' docker-push targets (tools/container/docker-image.ts) build and
# push <registry>/<app>:<checked-out commit>, so IMAGE_TAG must be that commit.
#
# Env: IMAGE_REGISTRY  <region>-docker.pkg.dev/<project>/shelfwatch (the platform stack's registry)
#      IMAGE_TAG       tag to push: the checked-out commit sha
#      NX_BASE/NX_HEAD commit range (nrwl/nx-set-shas sets them); Nx's defaults otherwise
set -euo pipefail
cd "$(dirname "$0")/.."

: "${IMAGE_REGISTRY:?set IMAGE_REGISTRY to <region>-docker.pkg.dev/<project>/shelfwatch}"
: "${IMAGE_TAG:?set IMAGE_TAG to the tag to push (the commit sha)}"
if [ "$IMAGE_TAG" != "$(git rev-parse HEAD)" ]; then
  echo "IMAGE_TAG ($IMAGE_TAG) is not the checked-out commit: docker-push tags images with the commit." >&2
  exit 1
fi
export SHELFWATCH_REGISTRY="$IMAGE_REGISTRY"

apps="$(npx tsx tools/infra/affected-stacks.ts --images)"
if [ -z "$apps" ]; then
  echo "No app and no app stack is affected: no image to push."
  exit 0
fi

projects="$(paste -sd, - <<<"$apps")"
echo "Pushing ${IMAGE_REGISTRY}/{${projects}}:${IMAGE_TAG}"
npx nx run-many -t docker-push -p "$projects" --outputStyle=stream
