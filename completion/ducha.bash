# bash completion for ducha (installed by make install as share/bash-completion/completions/ducha).
# Subcommands and options come from ducha itself, unit names, item numbers, sources and states
# from the repository: `ducha __complete words -- WORDS…` answers with one candidate a line,
# or with `:文件` / `:目录` where a path is expected.
_ducha() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local IFS=$'\n'
    local candidates
    candidates=$("${COMP_WORDS[0]}" __complete words -- "${COMP_WORDS[@]:0:COMP_CWORD}" "$cur" 2>/dev/null) || return 0
    case $candidates in
        :文件) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null ;;
        :目录) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null ;;
        *) COMPREPLY=($candidates) ;;
    esac
    return 0
}
complete -F _ducha ducha
