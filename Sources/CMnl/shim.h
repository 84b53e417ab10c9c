// libmnl plus the kernel's netlink headers; linking is chosen by ContainerKit's
// linkerSettings, not here, so static and dynamic builds pick in one place.
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/veth.h>
#include <linux/neighbour.h>
