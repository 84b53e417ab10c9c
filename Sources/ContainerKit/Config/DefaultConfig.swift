/// The shipped conf/vz.conf, used when the host has no vz.conf at all, so a
/// bare install behaves exactly like one with the default file (a unit test
/// keeps the two equal).
enum DefaultConfig {
    static let vzConf = """
## Global parameters
VIRTUOZZO=yes
LOCKDIR=/vz/lock
DUMPDIR=/vz/dump
VE0CPUUNITS=1000

## Logging parameters
LOGGING=yes
LOGFILE=/var/log/vzctl.log
LOG_LEVEL=0
VERBOSE=0

## Disk quota parameters (vzquota needs an OpenVZ kernel; see vz.conf(5))
DISK_QUOTA=no

## Template parameters
TEMPLATE=/vz/template

## Defaults for containers
VE_ROOT=/vz/root/$VEID
VE_PRIVATE=/vz/private/$VEID
CONFIGFILE="basic"
DEF_OSTEMPLATE="busybox"
NAMESERVER=inherit
VE_LAYOUT=ploop
STOP_TIMEOUT=120
# User namespace of new containers: each gets 65536 ids from here on
# (LOCAL_UID/LOCAL_GID in its CTID.conf); 0: none (see vz.conf(5))
LOCAL_UID=100000
LOCAL_GID=100000

## Networking
IPV6="yes"

"""
}
