# bash completion for vzctl, vzlist, vzpkg, vzubc, vzcpucheck, vzsplit,
# vzmemcheck, vzcalc, vzpid, vzmigrate and vz (vzkit).
#
# Install as /usr/share/bash-completion/completions/vzctl and link vzlist,
# vzpkg, vzubc, vzcpucheck, vzsplit, vzmemcheck, vzcalc, vzpid, vzmigrate and vz to it there, or
# source it from ~/.bashrc. It needs no other file.
# Container IDs, names, samples and template caches are read from the host's
# files, below $VZ_PREFIX when that is set, as vzctl itself does.

# $VZ_PREFIX without trailing slashes ("" for the real host).
_vzkit_prefix() {
    local p=${VZ_PREFIX-}
    while [[ $p == */ ]]; do p=${p%/}; done
    printf '%s' "$p"
}

# Runs "$@" with nullglob on and failglob off, whatever the user's settings.
_vzkit_globbing() {
    local restore rc
    restore=$(shopt -p nullglob failglob)
    shopt -s nullglob
    shopt -u failglob
    "$@"
    rc=$?
    eval "$restore"
    return $rc
}

# CTIDs that have a configuration file, then the container names.
_vzkit_ctids() {
    local p f b
    p=$(_vzkit_prefix)
    for f in "$p"/etc/vz/conf/*.conf; do
        b=${f##*/}
        b=${b%.conf}
        [[ $b =~ ^[0-9]+$ ]] && printf '%s\n' "$b"
    done
    for f in "$p"/etc/vz/names/*; do
        [[ -e $f || -L $f ]] && printf '%s\n' "${f##*/}"
    done
}

# Sample names: ve-NAME.conf-sample gives NAME.
_vzkit_samples() {
    local p f b
    p=$(_vzkit_prefix)
    for f in "$p"/etc/vz/conf/ve-*.conf-sample; do
        b=${f##*/ve-}
        printf '%s\n' "${b%.conf-sample}"
    done
}

# The first value of KEY in vz.conf, read the way vzctl reads it.
_vzkit_vzconf_value() {
    _vzkit_file_value "$(_vzkit_prefix)/etc/vz/vz.conf" "$1"
}

# The first value of KEY ($2) in the config file $1.
_vzkit_file_value() {
    local file=$1 key=$2 line v
    [[ -r $file ]] || return 1
    while IFS= read -r line || [[ -n $line ]]; do
        line=${line#"${line%%[![:space:]]*}"}
        line=${line%"${line##*[![:space:]]}"}
        [[ $line == "$key="* ]] || continue
        v=${line#"$key="}
        if [[ $v == \"* ]]; then
            v=${v#\"}
            [[ $v == *\"* ]] || continue
            v=${v%\"*}
        fi
        printf '%s' "$v"
        return 0
    done <"$file"
    return 1
}

# OS template names: the caches TEMPLATE/cache/NAME.tar[.gz|.bz2|.xz|.zst].
_vzkit_templates() {
    local p dir f b s
    p=$(_vzkit_prefix)
    dir=$(_vzkit_vzconf_value TEMPLATE) || dir=/vz/template
    [[ -n $dir ]] || dir=/vz/template
    [[ $dir == /* ]] && dir=$p$dir
    for f in "$dir"/cache/*.tar*; do
        b=${f##*/}
        for s in .tar.gz .tar.bz2 .tar.xz .tar.zst .tar; do
            if [[ $b == *"$s" ]]; then
                printf '%s\n' "${b%"$s"}"
                break
            fi
        done
    done | sort -u
}

# The uuids (without braces, which vzctl does not need) of the snapshots
# of container $1, a CTID or a name: from VE_PRIVATE/Snapshots.tsv.
_vzkit_snapshots() {
    local p ctid=$1 priv line
    p=$(_vzkit_prefix)
    if [[ ! $ctid =~ ^[0-9]+$ ]]; then
        ctid=$(readlink "$p/etc/vz/names/$ctid") || return 0
        ctid=${ctid##*/}
        ctid=${ctid%.conf}
    fi
    priv=$(_vzkit_file_value "$p/etc/vz/conf/$ctid.conf" VE_PRIVATE) ||
        priv=$(_vzkit_vzconf_value VE_PRIVATE) || priv=/vz/private/\$VEID
    priv=${priv/\$\{VEID\}/$ctid}
    priv=${priv/\$VEID/$ctid}
    [[ $priv == /* ]] && priv=$p$priv
    [[ -r $priv/Snapshots.tsv ]] || return 0
    while IFS= read -r line; do
        [[ $line == \{* ]] || continue
        line=${line%%$'\t'*}
        line=${line#\{}
        printf '%s\n' "${line%\}}"
    done <"$priv/Snapshots.tsv"
}

# _vzkit_add PREFIX CUR WORD...: adds to COMPREPLY each WORD that starts
# with CUR, with PREFIX in front; quoted for the shell where needed.
_vzkit_add() {
    local prefix=$1 cur=$2 w
    shift 2
    for w in "$@"; do
        [[ $w == "$cur"* ]] || continue
        w=$prefix$w
        [[ $w == *[!A-Za-z0-9._,+:=/@%-]* ]] && printf -v w '%q' "$w"
        COMPREPLY+=("$w")
    done
}

# _vzkit_add_lines PREFIX CUR COMMAND...: like _vzkit_add, with the words
# printed one per line by COMMAND.
_vzkit_add_lines() {
    local prefix=$1 cur=$2 line
    local -a words=()
    shift 2
    while IFS= read -r line; do
        [[ -n $line ]] && words+=("$line")
    done < <(_vzkit_globbing "$@")
    _vzkit_add "$prefix" "$cur" "${words[@]}"
}

# The word being completed as typed text: backslashes and an opening quote
# removed.
_vzkit_unquote() {
    local w=$1
    w=${w#[\'\"]}
    printf '%s' "${w//\\/}"
}

# _vzkit_resolve WORD OPTION...: the OPTION that WORD names, exactly or as
# the only option it is a prefix of (getopt_long's rule).
_vzkit_resolve() {
    local word=$1 o found=
    shift
    [[ $word == --?* ]] || return 1
    for o in "$@"; do
        if [[ $o == "$word" ]]; then
            printf '%s' "$o"
            return 0
        fi
    done
    for o in "$@"; do
        if [[ $o == "$word"* ]]; then
            [[ -n $found ]] && return 1
            found=$o
        fi
    done
    [[ -n $found ]] && printf '%s' "$found"
}

# Sets _vzkit_cur, _vzkit_opt and _vzkit_pfx for the current word:
# _vzkit_opt is the option word whose value is being completed (empty when
# the word is not a value), _vzkit_pfx the text to keep in front of the
# completions. Handles "--opt value", "--opt=value" as one word, and the
# words "--opt" "=" "value" that bash makes when = is in COMP_WORDBREAKS.
_vzkit_split() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    _vzkit_opt= _vzkit_pfx=
    if [[ $cur == = && $prev == --?* ]]; then
        _vzkit_opt=$prev
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)) && [[ ${COMP_WORDS[COMP_CWORD - 2]} == --?* ]]; then
        _vzkit_opt=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --?*=* ]]; then
        _vzkit_opt=${cur%%=*}
        _vzkit_pfx=${_vzkit_opt}=
        cur=${cur#*=}
    elif [[ $prev == -* && $prev != *=* ]]; then
        _vzkit_opt=$prev
    fi
    _vzkit_cur=$(_vzkit_unquote "$cur")
}

_vzkit_vzctl_commands=(create destroy delete mount umount start stop restart status set
    exec exec2 exec3 enter runscript chkpnt suspend restore resume convert snapshot snapshot-switch snapshot-delete
    snapshot-mount snapshot-umount snapshot-list help)
_vzkit_vzctl_flags=(--quiet --verbose --skiplock --version --help)

# The beancounters, each a set option --NAME B[:L].
_vzkit_ubc_names=(kmemsize lockedpages privvmpages shmpages numproc physpages vmguarpages
    oomguarpages numtcpsock numflock numpty numsiginfo tcpsndbuf tcprcvbuf othersockbuf
    dgramrcvbuf numothersock dcachesize numfile numiptent swappages)
# The other resource options of set, and the classic short UBC options
# (-k kmemsize, -l lockedpages, -p numproc, -f numflock, -t numpty,
# -i numsiginfo, -b tcprcvbuf, -e numiptent, -n numfile, -x dcachesize).
_vzkit_resource_options=(--ram --swap --cpuunits --cpulimit --cpus --cpumask --nodemask --ioprio --iolimit
    --iopslimit --vm_overcommit)
_vzkit_ubc_short=(-k -l -p -f -t -i -b -e -n -x)

# Options offered for each command (aliases and hidden options left out).
_vzkit_vzctl_options() {
    case $1 in
    create) echo --ostemplate --config --private --root --ipadd --hostname --name --description --layout --diskspace --diskinodes --local_uid --local_gid ;;
    set) echo --ipadd --ipdel --netif_add --netif_del --ifname --mac --host_mac --host_ifname --bridge --mac_filter --netdev_add --netdev_del --nameserver --searchdomain --hostname --name --description --onboot --bootorder --disabled --stop-timeout \
        --diskspace --diskinodes --offline-resize --quotaugidlimit --quotatime --userpasswd --devices --devnodes --ostemplate --root --private --save --force --setmode "${_vzkit_resource_options[@]}" "${_vzkit_ubc_names[@]/#/--}" ;;
    start) echo --wait --force --skip-remount --skip-fsck ;;
    stop) echo --fast --skip-umount ;;
    restart) echo --wait --force --fast --skip-remount --skip-fsck --skip-umount ;;
    convert) echo --layout ;;
    snapshot) echo --id --name --description --skip-suspend --skip-config ;;
    snapshot-switch) echo --id --skip-resume --must-resume --skip-config ;;
    snapshot-delete | snapshot-umount) echo --id ;;
    snapshot-mount) echo --id --target ;;
    snapshot-list) echo -H -o --id -L ;;
    chkpnt) echo --dumpfile --suspend --dump --kill --resume ;;
    restore) echo --dumpfile --undump --kill --resume --skip-remount --skip-fsck ;;
    esac
}

# Every option the command accepts, for resolving abbreviations.
_vzkit_vzctl_all_options() {
    case $1 in
    create) echo --ostemplate --config --private --root --ipadd --ip --hostname --name --description --layout \
        --ve_layout --velayout --diskspace --diskinodes --local_uid --local_gid ;;
    set) echo --ip; _vzkit_vzctl_options set ;;
    start | stop | restart) echo --wait --force --fast --skip-fsck --skip-remount --skip-umount --skip_ve_setup ;;
    convert) echo --layout --ve_layout --velayout ;;
    snapshot-switch) echo --uuid --skip_arpdetect; _vzkit_vzctl_options "$1" ;;
    snapshot-list) echo --no-header --output --help --uuid --id --list ;;
    snapshot*) echo --uuid; _vzkit_vzctl_options "$1" ;;
    chkpnt | restore) echo --skip_arpdetect --flags --context; _vzkit_vzctl_options "$1" ;;
    *) _vzkit_vzctl_options "$1" ;;
    esac
}

# Completes the value of option $1 (full name) of vzctl command $2 for
# container $3; returns 1 if the option takes no value.
_vzkit_vzctl_value() {
    local cur=$_vzkit_cur pfx=$_vzkit_pfx
    case $1 in
    --ostemplate) _vzkit_add_lines "$pfx" "$cur" _vzkit_templates ;;
    --config) _vzkit_add_lines "$pfx" "$cur" _vzkit_samples ;;
    --layout | --ve_layout | --velayout)
        if [[ $2 == convert ]]; then
            _vzkit_add "$pfx" "$cur" ploop ploop:expanded ploop:plain ploop:raw
        else
            _vzkit_add "$pfx" "$cur" simfs ploop
        fi
        ;;
    --id | --uuid) [[ $2 == snapshot ]] || _vzkit_add_lines "$pfx" "$cur" _vzkit_snapshots "$3" ;;
    --output) _vzkit_add "$pfx" "$cur" uuid parent_uuid current date name desc device target ;;
    --onboot | --disabled) _vzkit_add "$pfx" "$cur" yes no ;;
    --setmode) _vzkit_add "$pfx" "$cur" restart ignore ;;
    --ipdel | --netif_del) _vzkit_add "$pfx" "$cur" all ;;
    --nameserver | --searchdomain) _vzkit_add "$pfx" "$cur" inherit ;;
    --mac_filter) _vzkit_add "$pfx" "$cur" on off ;;
    --bridge)
        local b
        for b in /sys/class/net/*/bridge; do
            [ -e "$b" ] || continue
            b=${b%/bridge}
            _vzkit_add "$pfx" "$cur" "${b##*/}"
        done
        ;;
    --ifname | --mac | --host_mac | --host_ifname) ;;
    --root | --private | --target | --dumpfile)
        compopt -o filenames 2>/dev/null
        local d
        while IFS= read -r d; do COMPREPLY+=("$pfx$d"); done < <(compgen -d -- "$cur")
        ;;
    --skip-suspend | --skip-config | --skip-resume | --must-resume | --skip_arpdetect | --no-header | --help | --list) return 1 ;;
    --hostname | --name | --description | --bootorder | --stop-timeout | --ipadd | --ip | --netif_add | --diskspace | --diskinodes | --userpasswd) ;;
    --flags | --context) ;;
    --cpumask | --nodemask) _vzkit_add "$pfx" "$cur" all ;;
    --ioprio) _vzkit_add "$pfx" "$cur" 0 1 2 3 4 5 6 7 ;;
    --ram | --swap | --cpuunits | --cpulimit | --cpus | --iolimit | --iopslimit | --vm_overcommit) ;;
    --devices) _vzkit_add "$pfx" "$cur" c: b: ;;
    --devnodes)
        # Character and block devices of the host, relative to /dev.
        local d
        while IFS= read -r d; do COMPREPLY+=("$pfx$d:rw"); done < <(cd /dev 2>/dev/null && find . \( -type c -o -type b \) -printf '%P\n' | grep -- "^$cur")
        ;;
    --netdev_add | --netdev_del)
        local d
        while IFS= read -r d; do COMPREPLY+=("$pfx$d"); done < <(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur")
        ;;
    --*)
        # A beancounter: B[:L], nothing to offer.
        case " ${_vzkit_ubc_names[*]} " in
        *" ${1#--} "*) ;;
        *) return 1 ;;
        esac
        ;;
    *) return 1 ;;
    esac
    return 0
}

_vzctl() {
    COMPREPLY=()
    local _vzkit_cur _vzkit_opt _vzkit_pfx
    _vzkit_split
    local cur=$_vzkit_cur i=1 w cmd= ctid_at

    # Global flags, then the command word.
    while ((i < COMP_CWORD)); do
        w=${COMP_WORDS[i]}
        case $w in
        --quiet | --verbose | --skiplock) ((i++)) ;;
        --version | --help) return 0 ;;
        *) break ;;
        esac
    done
    if ((i == COMP_CWORD)); then
        if [[ $cur == -* ]]; then
            _vzkit_add "" "$cur" "${_vzkit_vzctl_flags[@]}"
        else
            _vzkit_add "" "$cur" "${_vzkit_vzctl_commands[@]}"
        fi
        return 0
    fi
    cmd=${COMP_WORDS[i]}
    case $cmd in
    delete) cmd=destroy ;;
    suspend) cmd=chkpnt ;;
    resume) cmd=restore ;;
    esac
    ctid_at=$((i + 1))

    if [[ $cmd == help ]]; then
        ((COMP_CWORD == ctid_at)) && _vzkit_add "" "$cur" "${_vzkit_vzctl_commands[@]}"
        return 0
    fi
    case " ${_vzkit_vzctl_commands[*]} " in
    *" $cmd "*) ;;
    *) return 0 ;;
    esac

    if ((COMP_CWORD == ctid_at)); then
        # create takes a new CTID: nothing to offer.
        [[ $cmd == create ]] || _vzkit_add_lines "" "$cur" _vzkit_ctids
        return 0
    fi

    case $cmd in
    exec | exec2 | exec3) return 0 ;;
    enter)
        ((COMP_CWORD == ctid_at + 1)) && _vzkit_add "" "$cur" --exec
        return 0
        ;;
    runscript)
        if ((COMP_CWORD == ctid_at + 1)); then
            compopt -o filenames 2>/dev/null
            local f
            while IFS= read -r f; do COMPREPLY+=("$f"); done < <(compgen -f -- "$cur")
        fi
        return 0
        ;;
    esac

    # An option value?
    if [[ -n $_vzkit_opt ]]; then
        # The classic short beancounter options take a value too.
        if [[ $cmd == set ]]; then
            case " ${_vzkit_ubc_short[*]} " in
            *" $_vzkit_opt "*) return 0 ;;
            esac
        fi
        local opt
        # shellcheck disable=SC2046
        [[ $cmd == snapshot-list && $_vzkit_opt == -o ]] && _vzkit_opt=--output
        [[ $cmd == snapshot-list && $_vzkit_opt == -u ]] && _vzkit_opt=--uuid
        if opt=$(_vzkit_resolve "$_vzkit_opt" $(_vzkit_vzctl_all_options "$cmd")) && _vzkit_vzctl_value "$opt" "$cmd" "${COMP_WORDS[ctid_at]}"; then
            return 0
        fi
    fi
    if [[ -z $cur || $cur == -* ]]; then
        # shellcheck disable=SC2046
        _vzkit_add "" "$cur" $(_vzkit_vzctl_options "$cmd")
    fi
    return 0
}

# vzlist fields, in the order of `vzlist -L`.
_vzkit_vzlist_fields() {
    local b s
    echo ctid veid vpsid private root mount_opts origin_sample hostname name smart_name \
        description ostemplate ip nameserver searchdomain status
    for b in kmemsize lockedpages privvmpages shmpages numproc physpages vmguarpages \
        oomguarpages numtcpsock numflock numpty numsiginfo tcpsndbuf tcprcvbuf othersockbuf \
        dgramrcvbuf numothersock dcachesize numfile numiptent swappages; do
        echo "$b"
        for s in m b l f; do echo "$b.$s"; done
    done
    for b in diskspace diskinodes; do echo "$b $b.s $b.h"; done
    echo laverage uptime cpulimit cpuunits cpus ioprio iolimit iopslimit onboot bootorder \
        layout features vswap disabled vm_overcommit netfilter capability
}

_vzkit_vzlist_long=(--all --stopped --name --no-header --no-trim --json --output --sort
    --hostname --name_filter --description --list --help)
_vzkit_vzlist_short=(-a -S -n -H -t -j -o -1 -s -h -N -d -L)

# Field completion: $1 is the text to keep in front, $2 the typed value
# (for -o a comma-separated list, for -s one field with an optional -).
_vzkit_vzlist_fieldvalue() {
    local pfx=$1 cur=$2 kind=$3 head=
    # shellcheck disable=SC2046
    if [[ $kind == sort ]]; then
        if [[ $cur == -* ]]; then
            head=-
            cur=${cur#-}
        fi
        _vzkit_add "$pfx$head" "$cur" $(_vzkit_vzlist_fields)
    else
        if [[ $cur == *,* ]]; then
            head=${cur%,*},
            cur=${cur##*,}
        fi
        _vzkit_add "$pfx$head" "$cur" $(_vzkit_vzlist_fields)
    fi
}

_vzlist() {
    COMPREPLY=()
    local _vzkit_cur _vzkit_opt _vzkit_pfx
    _vzkit_split
    local cur=$_vzkit_cur opt=

    if [[ -n $_vzkit_opt ]]; then
        case $_vzkit_opt in
        -o | -s | -h | -N | -d) opt=$_vzkit_opt ;;
        --?*)
            opt=$(_vzkit_resolve "$_vzkit_opt" "${_vzkit_vzlist_long[@]}") || opt=
            ;;
        -*) [[ $_vzkit_opt =~ ^-[aSnHtjL1]+([osNhd])$ ]] && opt=-${BASH_REMATCH[1]} ;;
        esac
        case $opt in
        -o | --output)
            _vzkit_vzlist_fieldvalue "$_vzkit_pfx" "$cur" output
            return 0
            ;;
        -s | --sort)
            _vzkit_vzlist_fieldvalue "$_vzkit_pfx" "$cur" sort
            return 0
            ;;
        -h | -N | -d | --hostname | --name_filter | --description) return 0 ;;
        esac
    fi

    # A value glued to its short option: -octid,ho or -aHs-uptime.
    if [[ $cur =~ ^(-[aSnHtjL1]*o)(.+)$ ]]; then
        _vzkit_vzlist_fieldvalue "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" output
        return 0
    fi
    if [[ $cur =~ ^(-[aSnHtjL1]*s)(.+)$ ]]; then
        _vzkit_vzlist_fieldvalue "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" sort
        return 0
    fi

    if [[ $cur == --* ]]; then
        _vzkit_add "" "$cur" "${_vzkit_vzlist_long[@]}"
    elif [[ $cur == -* ]]; then
        _vzkit_add "" "$cur" "${_vzkit_vzlist_short[@]}" "${_vzkit_vzlist_long[@]}"
    else
        _vzkit_add_lines "" "$cur" _vzkit_ctids
    fi
    return 0
}

# The templates vzpkg can make (DebootstrapRecipe.names, and busybox).
_vzkit_recipes() {
    local r a
    echo busybox
    for r in debian-10 debian-11 debian-12 debian-13 ubuntu-20.04 ubuntu-22.04 ubuntu-24.04; do
        for a in x86_64 aarch64; do printf '%s\n' "$r-$a" "$r-$a-minimal"; done
    done
}

# vzpkg create cache NAME | list | install CTID PKG... | update CTID
_vzpkg() {
    COMPREPLY=()
    local cur
    cur=$(_vzkit_unquote "${COMP_WORDS[COMP_CWORD]}")
    case $COMP_CWORD in
    1) _vzkit_add "" "$cur" create list install update help --help ;;
    2)
        case ${COMP_WORDS[1]} in
        create) _vzkit_add "" "$cur" cache ;;
        install | update) _vzkit_add_lines "" "$cur" _vzkit_ctids ;;
        esac
        ;;
    3) [[ ${COMP_WORDS[1]} == create && ${COMP_WORDS[2]} == cache ]] && _vzkit_add_lines "" "$cur" _vzkit_recipes ;;
    esac
    return 0
}

_vzkit_vzubc_options=(-q --quiet -qh -qm -v --verbose -r --relative -rd -rc -i --incremental
    -id -ic -c --color -R --raw -h --help)

# vzubc [options] [CTID|NAME ...]: the options, then containers.
_vzubc() {
    COMPREPLY=()
    local cur prev= w
    cur=$(_vzkit_unquote "${COMP_WORDS[COMP_CWORD]}")
    ((COMP_CWORD > 1)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
        [[ $w == -h || $w == --help ]] && return 0
    done
    case $prev in
    -qh | -qm) return 0 ;;
    -rd | -id)
        compopt -o filenames 2>/dev/null
        local d
        while IFS= read -r d; do COMPREPLY+=("$d"); done < <(compgen -d -- "$cur")
        return 0
        ;;
    esac
    if [[ $cur == -* ]]; then
        _vzkit_add "" "$cur" "${_vzkit_vzubc_options[@]}"
    else
        _vzkit_add_lines "" "$cur" _vzkit_ctids
    fi
    return 0
}

# vzcpucheck [-v]
_vzcpucheck() {
    COMPREPLY=()
    local cur
    cur=$(_vzkit_unquote "${COMP_WORDS[COMP_CWORD]}")
    ((COMP_CWORD == 1)) && _vzkit_add "" "$cur" -v
    return 0
}

# _vzkit_unused_options CUR OPTION...: offers the options not on the line yet.
_vzkit_unused_options() {
    local cur=$1 w o
    shift
    local -a left=()
    for o in "$@"; do
        for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
            [[ $w == "$o" ]] && continue 2
        done
        left+=("$o")
    done
    [[ -z $cur || $cur == -* ]] && _vzkit_add "" "$cur" "${left[@]}"
    return 0
}

# vzmemcheck [-v] [-A]: the options not given yet.
_vzmemcheck() {
    COMPREPLY=()
    local cur
    cur=$(_vzkit_unquote "${COMP_WORDS[COMP_CWORD]}")
    _vzkit_unused_options "$cur" -v -A
    return 0
}

# vzcalc [-v] CTID|NAME: -v only in front, then one container.
_vzcalc() {
    COMPREPLY=()
    local cur at=1
    cur=$(_vzkit_unquote "${COMP_WORDS[COMP_CWORD]}")
    ((COMP_CWORD > 1)) && [[ ${COMP_WORDS[1]} == -v ]] && at=2
    ((COMP_CWORD == at)) || return 0
    if [[ $cur == -* ]]; then
        ((at == 1)) && _vzkit_add "" "$cur" -v
    else
        _vzkit_add_lines "" "$cur" _vzkit_ctids
    fi
    return 0
}

# vzsplit [-n NUM] [-f NAME] [-s SWAP_KB]: the options not given yet; their
# values are the user's to type.
_vzsplit() {
    COMPREPLY=()
    local cur prev=
    cur=$(_vzkit_unquote "${COMP_WORDS[COMP_CWORD]}")
    ((COMP_CWORD > 1)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    case $prev in
    -n | -f | -s | -v) return 0 ;;
    esac
    _vzkit_unused_options "$cur" -n -f -s
    return 0
}

# vzpid [-p] PID... | [-p] -: the flags first, then running processes' IDs;
# nothing after - (the IDs come on stdin) or -h.
_vzpid() {
    COMPREPLY=()
    local cur i=1
    cur=$(_vzkit_unquote "${COMP_WORDS[COMP_CWORD]}")
    [[ ${COMP_WORDS[1]-} == -p ]] && ((COMP_CWORD > 1)) && i=2
    if ((COMP_CWORD == i)); then
        [[ $cur == -* ]] && { ((i == 1)) && _vzkit_add "" "$cur" -p -h - || _vzkit_add "" "$cur" -; }
    else
        [[ ${COMP_WORDS[i]} == - || ${COMP_WORDS[1]} == -h ]] && return 0
    fi
    [[ $cur == -* ]] || _vzkit_add_lines "" "$cur" _vzkit_pids
    return 0
}

_vzkit_pids() {
    local d
    for d in /proc/[0-9]*; do printf '%s\n' "${d#/proc/}"; done
}

# vzmigrate [options] DEST CTID|NAME: options, yes/no after -r, nothing for
# the destination (a host name is the user's to type), then containers.
_vzmigrate() {
    COMPREPLY=()
    local cur prev= i w args=0
    cur=$(_vzkit_unquote "${COMP_WORDS[COMP_CWORD]}")
    ((COMP_CWORD > 1)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    case $prev in
    -r | --remove-area) _vzkit_add "" "$cur" yes no; return 0 ;;
    --ssh | --rsync) return 0 ;;
    esac
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
        -r | --remove-area | --ssh | --rsync) ((i++)) ;;
        -*) ;;
        *) ((args++)) ;;
        esac
    done
    if [[ $cur == -* ]]; then
        _vzkit_add "" "$cur" --online --live --keep-dst -r --remove-area --ssh= --rsync= -t --times \
            --check-only --dry-run -v -h --help
    elif ((args == 1)); then
        _vzkit_add_lines "" "$cur" _vzkit_ctids
    fi
    return 0
}

# vz ACTION: the service's one word.
_vz() {
    COMPREPLY=()
    local cur
    cur=$(_vzkit_unquote "${COMP_WORDS[COMP_CWORD]}")
    ((COMP_CWORD == 1)) && _vzkit_add "" "$cur" start stop restart force-reload status
    return 0
}

complete -F _vzctl vzctl
complete -F _vzlist vzlist
complete -F _vzpkg vzpkg
complete -F _vzubc vzubc
complete -F _vzcpucheck vzcpucheck
complete -F _vzsplit vzsplit
complete -F _vzmemcheck vzmemcheck
complete -F _vzcalc vzcalc
complete -F _vzpid vzpid
complete -F _vzmigrate vzmigrate
complete -F _vz vz
