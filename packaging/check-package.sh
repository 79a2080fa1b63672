#!/usr/bin/env bash
# The package as an operator meets it, on this machine (CI, as root), after `mvn -B verify` built it:
# lintian (no tag of any level allowed), install with apt, run it, man pages, bash and zsh completion, render the
# example, CDS archive, purge, and check that nothing of the package is left.
# Needs: lintian, man-db, bash-completion, zsh, haproxy (.ci/run installs them).
# Nothing from the caller's HOME, shell start-up files, AWS_*/HAPROXY_SD_*/MAN* variables or earlier runs takes part:
# the shells get a throw-away HOME, and the package is purged on every way out once installed.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "check-package: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

for name in $(compgen -e); do
  case $name in AWS_*|HAPROXY_SD_*|MANPATH|MANOPT|MANPAGER|MANWIDTH|PAGER|LINTIAN_*) unset "$name";; esac
done

debs=(target/haproxy-sd_*_all.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one target/haproxy-sd_*_all.deb, found: ${debs[*]}"
deb=${debs[0]}
[ "$(id -u)" -eq 0 ] || fail "run as root: it installs and purges the package"
purge() { DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq haproxy-sd >"$1" 2>&1; }
if dpkg-query -W -f='${Status}' haproxy-sd 2>/dev/null | grep -q 'ok installed'; then
  # On a CI machine, a run that was killed before its clean-up left it; on a workstation it may be the operator's.
  [ "${CI:-}" = true ] || fail "haproxy-sd is already installed here; purge it first (apt-get purge haproxy-sd)"
  echo "check-package: purging the haproxy-sd a killed earlier run left installed (CI=true)"
  purge /dev/null || fail "could not purge the haproxy-sd installed before this run"
fi
if grep -rqs 'path-exclude.*/usr/share/man' /etc/dpkg/dpkg.cfg.d/; then
  fail "dpkg is configured to drop man pages (/etc/dpkg/dpkg.cfg.d): the man checks cannot run on this image"
fi
work=$(mktemp -d)
installed=false
cleanup() {
  # A failed check must not leave the package behind for the next run.
  if $installed; then purge "$work/cleanup-purge.log" || echo "check-package: could not purge haproxy-sd" >&2; fi
  rm -rf "$work"
}
trap cleanup EXIT
# The shells below start from this empty HOME: no ~/.zshrc, ~/.zcompdump, ~/.bash_completion or
# ~/.local/share/bash-completion can help or hurt.
mkdir "$work/home" "$work/empty"
clean_env=(env -i "HOME=$work/home" "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" TERM=vt100
  LANG=C.UTF-8 XDG_DATA_DIRS=/usr/share)

step "lintian $deb"
# The README promises no tag at all (error, warning, info, pedantic, experimental): any tag fails. Without the
# machine's lintian configuration or LINTIAN_* variables, and without package overrides that could hide a tag.
lintian_opts=(--no-cfg --ignore-lintian-env --profile debian --no-override --pedantic --display-info
  --display-experimental --fail-on error,warning,info,pedantic,experimental)
rc=0
lintian "${lintian_opts[@]}" "$deb" >"$work/lintian" 2>&1 || rc=$?
tags=$(grep -v '^running with root privileges' "$work/lintian" || true)
[ "$rc" -eq 0 ] && [ -z "$tags" ] || fail "lintian (exit $rc) reports: $tags"
echo "no tags (lintian $(lintian --version | awk '{ print $2 }'))"

step "apt-get install ./$deb"
installed=true
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "install"; }

step "haproxy-sd --version"
haproxy-sd --version >"$work/version" 2>"$work/version.err" || fail "--version exited $?"
grep -q '^haproxy-sd [0-9]' "$work/version" || fail "--version printed: $(cat "$work/version")"
[ ! -s "$work/version.err" ] || fail "--version wrote to stderr: $(cat "$work/version.err")"
cat "$work/version"

step "man pages: one per command, each with EXIT STATUS and EXAMPLES"
haproxy-sd --help | sed -n '/^Commands:/,/^$/p' | awk '/^  [a-z]/ { print $1 }' >"$work/commands"
[ -s "$work/commands" ] || fail "no subcommands in 'haproxy-sd --help'"
for page in haproxy-sd $(sed 's/^/haproxy-sd-/' "$work/commands"); do
  man -w "$page" >/dev/null || fail "man -w $page"
  text=$(MANWIDTH=80 man "$page" 2>/dev/null)
  grep -q '^EXIT STATUS' <<<"$text" || fail "man $page has no EXIT STATUS"
  grep -q '^EXAMPLES' <<<"$text" || fail "man $page has no EXAMPLES"
  echo "$page: $(man -w "$page")"
done
# The page the systemd unit and cron file point to.
man -w haproxy-sd-apply >/dev/null || fail "man -w haproxy-sd-apply"

step "bash completion"
# Each shell runs with a deadline (timeout), so a hang fails the check instead of the CI job.
in_bash() { timeout 60 "${clean_env[@]}" bash --norc --noprofile -c "$@"; }
in_bash 'source /usr/share/bash-completion/completions/haproxy-sd && complete -p haproxy-sd' \
  >/dev/null || fail "complete -p haproxy-sd after sourcing the completion"
# As an interactive shell finds it: bash-completion loads it on demand from its directory (and only from the
# package's: the user directories are empty and XDG_DATA_DIRS is /usr/share).
in_bash 'source /usr/share/bash-completion/bash_completion && __load_completion haproxy-sd && complete -p haproxy-sd' \
  | grep -q ' _complete_haproxy-sd haproxy-sd$' || fail "bash-completion does not find the completion on demand"
complete_words() {
  in_bash '
    source /usr/share/bash-completion/completions/haproxy-sd
    compopt() { :; }
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _complete_haproxy-sd
    printf "%s\n" "${COMPREPLY[@]}"' complete "$@"
}
while read -r command; do
  got=$(complete_words haproxy-sd "${command:0:3}")
  grep -qx "$command" <<<"$got" || fail "haproxy-sd ${command:0:3}<TAB> offers '$got', not $command"
done <"$work/commands"
echo "haproxy-sd <TAB>: $(complete_words haproxy-sd '' | tr '\n' ' ')"

step "zsh completion"
zsh -n /usr/share/zsh/vendor-completions/_haproxy-sd || fail "zsh -n _haproxy-sd"
# A real interactive zsh with compinit in a pseudo-terminal, in an empty directory (no file can match "rende"),
# with its own empty ZDOTDIR/HOME: every run is compinit's first run (no ~/.zcompdump), as on a fresh machine.
# Each step waits for a marker that only the shell's output can contain (the echo of the typed line shows
# $((6*7)), the output 42), up to a deadline in seconds, never a number of reads. The function haproxy-sd
# prints the words the completed line passed to it.
cat >"$work/zsh-check" <<'EOF'
zmodload zsh/zpty zsh/datetime
setopt extendedglob
# What the terminal showed, without escape sequences and padding, for the failure message.
shown() { local t=${out//$'\0'/}; t=${t//$'\e'\[[0-9;?]#[a-zA-Z]/}; print -r -- "${t//$'\r'/}" >&2; }
deadline=$(( EPOCHREALTIME + $1 ))
out=""
# await MARKER: read the terminal until MARKER appeared, or fail at the deadline.
await() {
  local chunk
  while [[ $out != *"$1"* ]]; do
    if (( EPOCHREALTIME > deadline )); then
      print -r -- "zsh-check: no '$1' within the deadline; the terminal showed:" >&2
      shown
      exit 1
    fi
    chunk=""
    if zpty -r -t z chunk 2>/dev/null && [[ -n $chunk ]]; then out+=$chunk; else sleep 0.05; fi
  done
}
cd "$2" || exit 1
zpty z zsh -f -i
zpty -w z 'PS1="> "; bindkey -e; autoload -U compinit; compinit -u; haproxy-sd() { print -r -- "words:[$*]" }'
zpty -w z 'echo compinit-done-$((6*7))'
await compinit-done-42
zpty -w -n z $'haproxy-sd rende\t'
zpty -w z $'\C-e; echo end-of-check-$((6*7))'
await end-of-check-42
zpty -d z
[[ $out == *'words:[render]'* ]] && exit 0
print -r -- "zsh-check: the completed line did not run 'haproxy-sd render'; the terminal showed:" >&2
shown
exit 1
EOF
mkdir "$work/zdotdir"
timeout 120 "${clean_env[@]}" ZDOTDIR="$work/zdotdir" zsh -f "$work/zsh-check" 60 "$work/empty" >/dev/null \
  || fail "zsh: haproxy-sd rende<TAB> did not complete to render"
[ -s "$work/zdotdir/.zcompdump" ] && [ -z "$(ls -A "$work/home")" ] \
  || fail "zsh: compinit did not write its dump into the throw-away ZDOTDIR"
echo "haproxy-sd rende<TAB> -> haproxy-sd render (compinit's first run, no .zcompdump before)"

step "render the example through the installed launcher"
haproxy-sd render --inventory packaging/examples/inventory.json >"$work/installed.cfg" 2>"$work/render.err" \
  || fail "render exited $?: $(cat "$work/render.err")"
[ ! -s "$work/render.err" ] || fail "render wrote to stderr: $(cat "$work/render.err")"
target/haproxy-sd render --inventory packaging/examples/inventory.json >"$work/built.cfg"
cmp -s "$work/installed.cfg" "$work/built.cfg" || fail "the installed package renders differently from the build"
haproxy -c -f "$work/installed.cfg" >/dev/null || fail "haproxy -c rejects the rendered example"
echo "$(wc -l <"$work/installed.cfg") lines, haproxy -c: valid"

step "class-data-sharing archive"
archive=/var/cache/haproxy-sd/haproxy-sd.jsa
[ -s "$archive" ] || fail "postinst did not create $archive"
HAPROXY_SD_JAVA_OPTS="-Xlog:class+load=info:file=$work/classes.log" \
  haproxy-sd render --inventory packaging/examples/inventory.json >/dev/null
grep -q 'shared objects file (top)' "$work/classes.log" || fail "the launcher does not use $archive"
echo "archive used: $(grep -c 'shared objects file (top)' "$work/classes.log") classes from it"
# --version alone runs without it: mapping the archive would cost more than the dozen classes it loads.
HAPROXY_SD_JAVA_OPTS="-Xlog:class+load=info:file=$work/version.log" haproxy-sd --version >/dev/null
if grep -q 'shared objects file (top)' "$work/version.log"; then fail "--version alone mapped the archive"; fi
# A stale or broken archive must be skipped without a word: stdout is the product.
echo "not an archive" >"$work/broken.jsa"
HAPROXY_SD_CDS_ARCHIVE=$work/broken.jsa haproxy-sd render --inventory packaging/examples/inventory.json \
  >"$work/stale.cfg" 2>"$work/stale.err" || fail "render with a broken archive exited $?"
cmp -s "$work/stale.cfg" "$work/built.cfg" || fail "a broken archive changed stdout"
[ ! -s "$work/stale.err" ] || fail "a broken archive printed: $(cat "$work/stale.err")"

step "conffiles, units, cron"
# Every file under /etc is a conffile, and nothing else is.
conffiles=$(dpkg-query -W -f='${Conffiles}\n' haproxy-sd | awk 'NF { print $1 }' | sort)
etc=$(dpkg -L haproxy-sd | grep '^/etc/' | while read -r f; do [ -f "$f" ] && echo "$f"; done | sort)
[ -n "$conffiles" ] && [ "$conffiles" = "$etc" ] || fail "conffiles: $conffiles; files in /etc: $etc"
[ ! -e /etc/systemd/system/timers.target.wants/haproxy-sd.timer ] || fail "the timer was enabled by the package"
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify /lib/systemd/system/haproxy-sd.timer /lib/systemd/system/haproxy-sd.service \
    || fail "systemd-analyze verify"
fi
grep -v '^#' /etc/cron.d/haproxy-sd | grep -q . && fail "/etc/cron.d/haproxy-sd has an active line"
echo "ok"

step "purge"
dpkg-deb -c "$deb" | awk '{ print $NF }' | sed 's|^\.||; s|/$||' | grep . >"$work/paths"
purge "$work/purge.log" || { cat "$work/purge.log"; fail "purge"; }
installed=false
! dpkg-query -W -f='${Status}' haproxy-sd 2>/dev/null | grep -q 'ok installed' || fail "still installed"
left=()
while read -r path; do
  [ -e "$path" ] || continue
  # A directory another package owns (/usr/share/man/man1, /etc/cron.d, ...) stays, as it should.
  if [ -d "$path" ] && dpkg -S "$path" >/dev/null 2>&1; then continue; fi
  left+=("$path")
done <"$work/paths"
for path in /var/lib/haproxy-sd /var/cache/haproxy-sd /etc/haproxy-sd; do
  [ -e "$path" ] && left+=("$path")
done
[ ${#left[@]} -eq 0 ] || fail "left after purge: ${left[*]}"
echo "nothing left"

echo "check-package: all checks passed"
