#!/usr/bin/env bash
# Opens a pull request from the branch the best values were pushed to, through the GitHub REST API.
# Environment: AT_GITHUB_TOKEN (from withCredentials), AT_GITHUB_API, AT_REPOSITORY (owner/name;
# empty: read from the origin remote), AT_PR_FILE (the request body, JSON written by the step).
# An already open pull request for the branch is not an error: the push updated it.
set -euo pipefail
repo="${AT_REPOSITORY:-}"
if [ -z "$repo" ]; then
    url="$(git remote get-url origin)"
    # https://host/owner/name(.git), git@host:owner/name(.git), ssh://git@host/owner/name(.git)
    repo="$(printf '%s' "$url" | sed -E 's#\.git$##; s#^.*[:/]([^/:]+/[^/:]+)$#\1#')"
fi
case "$repo" in
    */*) ;;
    *) echo "autotunePipeline: cannot tell the GitHub repository from '$repo': pass repository: 'owner/name'" >&2; exit 2 ;;
esac
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# The token goes through a private header file, never the command line, so `ps` cannot show it.
( umask 077; printf 'Authorization: Bearer %s\n' "$AT_GITHUB_TOKEN" > "$scratch/auth" )
code="$(curl -sS -o "$scratch/response" -w '%{http_code}' -X POST \
    -H @"$scratch/auth" -H 'Accept: application/vnd.github+json' -H 'Content-Type: application/json' \
    --data-binary @"$AT_PR_FILE" "${AT_GITHUB_API%/}/repos/$repo/pulls")" || code=000
link="$(grep -o '"html_url": *"[^"]*"' "$scratch/response" 2>/dev/null | head -1 | sed -E 's/.*"([^"]*)"$/\1/')" || true
case "$code" in
    201) echo "autotune: opened pull request ${link:-on $repo}" ;;
    422) if grep -q 'already exists' "$scratch/response"; then
             echo "autotune: a pull request from this branch is already open on $repo; the push updated it"
         else
             echo "autotunePipeline: GitHub refused the pull request on $repo (HTTP 422): $(head -c 300 "$scratch/response")" >&2; exit 1
         fi ;;
    000) echo "autotunePipeline: GitHub API not reachable at $AT_GITHUB_API: check githubApi and the agent's network" >&2; exit 1 ;;
    *)   echo "autotunePipeline: GitHub refused the pull request on $repo (HTTP $code): $(head -c 300 "$scratch/response")" >&2; exit 1 ;;
esac
