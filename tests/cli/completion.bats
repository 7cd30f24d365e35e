#!/usr/bin/env bats
# The shell completions gendoc wrote beside the binary under test
# (BUILD/data): bash driven as readline would (COMP_WORDS, COMP_CWORD,
# then COMPREPLY), fish through its own `complete -C`, zsh through
# compinit on a pseudo-terminal.
# COMPLETIONS names another folder (the installed package's test).

load helpers

setup() {
	isolate_config
	DATA=${COMPLETIONS:-$(dirname "$DNSDOCTOR")/data}
	[ -f "$DATA/dnsdoctor" ] || skip "no completions in $DATA (built by ninja)"
	[ -f /usr/share/bash-completion/bash_completion ] ||
		skip "bash-completion is not installed (scripts/install-deps)"
	cd "$BATS_TEST_TMPDIR" || return 1
}

# complete_bash WORD...: COMPREPLY, one a line, for the last WORD.
complete_bash() {
	bash -c '
		. /usr/share/bash-completion/bash_completion
		. "$1"; shift
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*" COMP_POINT=${#COMP_LINE}
		complete -p dnsdoctor >/dev/null || exit 9
		_dnsdoctor dnsdoctor "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' - "$DATA/dnsdoctor" "$@" | sort
}

@test "bash: commands, a command's own options, values" {
	[ "$(complete_bash dnsdoctor ch)" = check ]
	[ "$(complete_bash dnsdoctor check --ac)" = $'--account-uri\n--acm\n--acme' ]
	# options of the command, not of another
	[ "$(complete_bash dnsdoctor cert --ca)" = "--ca-file" ]
	[ "$(complete_bash dnsdoctor check x --color '')" = $'always\nauto\nnever' ]
	[ "$(complete_bash dnsdoctor trace x --format=j)" = json ]
	# an option's value is not taken for the command
	[ "$(complete_bash dnsdoctor --root-hints hints tr)" = trace ]
}

@test "bash: explain completes finding codes, file arguments complete files" {
	[ "$(complete_bash dnsdoctor explain LAME_D)" = LAME_DELEGATION ]
	[ "$(complete_bash dnsdoctor explain '' | wc -l)" -eq "$("$DNSDOCTOR" explain --list | wc -l)" ]
	touch evidence.json evidence.txt
	[ "$(complete_bash dnsdoctor analyze evid)" = $'evidence.json\nevidence.txt' ]
	[ "$(complete_bash dnsdoctor check x --root-hints evidence.j)" = evidence.json ]
	# a domain is no file
	[ -z "$(complete_bash dnsdoctor check evid)" ]
}

@test "fish: commands, options and codes through complete -C" {
	command -v fish >/dev/null || skip "fish is not installed (scripts/install-deps)"
	run fish --no-config -c "source '$DATA/dnsdoctor.fish'; complete -C 'dnsdoctor ch'"
	[[ $output == check* && ${#lines[@]} -eq 1 ]]
	run fish --no-config -c "source '$DATA/dnsdoctor.fish'; complete -C 'dnsdoctor check --ac'"
	[ "$(cut -f1 <<<"$output" | sort)" = $'--account-uri\n--acm\n--acme' ]
	run fish --no-config -c "source '$DATA/dnsdoctor.fish'; complete -C 'dnsdoctor explain LAME_D'"
	[ "$output" = LAME_DELEGATION ]
}

# complete_zsh LINE...: what zsh's completion system offers after each
# LINE<TAB>, sorted, each answer ended by a line "--": an interactive zsh
# on a pseudo-terminal (zsh/zpty), its compadd wrapped to write down what
# it is given.
complete_zsh() {
	local out=$BATS_TEST_TMPDIR/zsh.out
	rm -f "$out"
	zsh -f -c '
		zmodload zsh/zpty || exit 9
		data=$1 out=$2 n=$(($# - 2))
		shift 2
		zpty z zsh -f -i
		zpty -w z "fpath=($data \$fpath); autoload -U compinit; compinit -u -D"
		zpty -w z "compadd() { builtin compadd -O __hits \"\$@\"; print -rl -- \${__hits[@]} >>$out }"
		for line; do
			zpty -w z "$line"$'"'"'\t'"'"'
			# a line of its own after the completion: it is done
			zpty -w z $'"'"'\x15'"'"'"print -r -- -- >>$out"
		done
		# up to 30 s: a guard against a hang, not a measure
		for i in {1..600}; do
			[[ -f $out ]] && (($(grep -cx -- -- $out) == n)) && break
			sleep 0.05
		done
		zpty -d z' - "$DATA" "$out" "$@"
	local line block=()
	while IFS= read -r line; do
		if [[ $line == -- ]]; then
			((${#block[@]} == 0)) || printf '%s\n' "${block[@]}" | sort -u
			echo --
			block=()
		elif [[ -n $line ]]; then
			block+=("$line")
		fi
	done <"$out"
}

@test "zsh: commands, a command's options and codes through compinit" {
	command -v zsh >/dev/null || skip "zsh is not installed (scripts/install-deps)"
	zsh -n "$DATA/_dnsdoctor"
	head -n 1 "$DATA/_dnsdoctor" | grep -qx '#compdef dnsdoctor'
	run complete_zsh 'dnsdoctor ch' 'dnsdoctor check --ac' 'dnsdoctor explain LAME_D'
	echo "$output"
	[ "$output" = $'check\n--\n--account-uri\n--acm\n--acme\n--\nLAME_DELEGATION\n--' ]
}
