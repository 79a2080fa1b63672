#!/usr/bin/env bash
# The package as an operator meets it, on this machine (CI, as root), after `mvn -B verify` built it:
# lintian (no errors allowed), install with apt, run it, man pages, bash and zsh completion, render the example,
# CDS archive, purge, and check that nothing of the package is left.
# Needs: lintian, man-db, bash-completion, zsh, haproxy (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "check-package: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

debs=(target/haproxy-sd_*_all.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one target/haproxy-sd_*_all.deb, found: ${debs[*]}"
deb=${debs[0]}
[ "$(id -u)" -eq 0 ] || fail "run as root: it installs and purges the package"
if dpkg-query -W -f='${Status}' haproxy-sd 2>/dev/null | grep -q 'ok installed'; then
  fail "haproxy-sd is already installed here; purge it first (apt-get purge haproxy-sd)"
fi
if grep -rqs 'path-exclude.*/usr/share/man' /etc/dpkg/dpkg.cfg.d/; then
  fail "dpkg is configured to drop man pages (/etc/dpkg/dpkg.cfg.d): the man checks cannot run on this image"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step "lintian $deb"
# Warnings are listed (and explained in the README); an error fails the build.
lintian --fail-on error --pedantic --display-info "$deb" 2>&1 | grep -v '^running with root privileges' || true
lintian --fail-on error "$deb" >/dev/null 2>&1 || fail "lintian reports errors"

step "apt-get install ./$deb"
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
bash --norc --noprofile -c '
  source /usr/share/bash-completion/completions/haproxy-sd && complete -p haproxy-sd' \
  || fail "complete -p haproxy-sd after sourcing the completion"
# As an interactive shell finds it: bash-completion loads it on demand from its directory.
bash --norc --noprofile -c '
  source /usr/share/bash-completion/bash_completion && __load_completion haproxy-sd && complete -p haproxy-sd' \
  >/dev/null || fail "bash-completion does not find the completion on demand"
complete_words() {
  bash --norc --noprofile -c '
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
# A real interactive zsh with compinit, driven through a pseudo-terminal; waits for output, never for time.
cat >"$work/zsh-check" <<'EOF'
setopt extendedglob
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z 'PS1="> "; autoload -U compinit; compinit -u; haproxy-sd() { :; }'
zpty -w -n z $'haproxy-sd rende\t'
zpty -w z $'\C-e; echo END-OF-CHECK'
out=""
for i in {1..300}; do
  chunk=""
  zpty -r -t z chunk && out+=$chunk
  if [[ $out == *$'\nEND-OF-CHECK'* ]]; then
    zpty -d z
    clean=${out//$'\e'\[[0-9;?]#[a-zA-Z]/}
    [[ $clean == *"haproxy-sd render"* ]] && exit 0
    break
  fi
  [[ -n $chunk ]] || sleep 0.1
done
print -r -- "$out" >&2
exit 1
EOF
zsh -f "$work/zsh-check" >/dev/null || fail "zsh: haproxy-sd rende<TAB> did not complete to render"

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
HAPROXY_SD_JAVA_OPTS="-Xlog:class+load=info:file=$work/classes.log" haproxy-sd --version >/dev/null
grep -q 'shared objects file (top)' "$work/classes.log" || fail "the launcher does not use $archive"
echo "archive used: $(grep -c 'shared objects file (top)' "$work/classes.log") classes from it"
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
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq haproxy-sd >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "purge"; }
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
