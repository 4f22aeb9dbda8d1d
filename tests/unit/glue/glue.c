/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host glue for viommu.c: see glue.h.
 */
#include <xen/device_tree.h>

#include "glue.h"
#include "emul.h"
#include "vsmmu-v3.h"

struct glue_state glue;
bool iommu_enabled = true;
unsigned int p2m_ipa_bits = 48;
rwlock_t dt_host_lock;

#define GLUE_MAX_DOMAINS 8
static struct domain *domains[GLUE_MAX_DOMAINS];

void glue_reset(void)
{
    memset(&glue, 0, sizeof(glue));
    memset(domains, 0, sizeof(domains));
}

void glue_register_domain(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < GLUE_MAX_DOMAINS; i++ )
        if ( !domains[i] )
        {
            domains[i] = d;
            return;
        }
    BUG();
}

struct domain *glue_next_domain(const struct domain *d)
{
    unsigned int i = 0;

    if ( d )
    {
        while ( i < GLUE_MAX_DOMAINS && domains[i] != d )
            i++;
        i++;
    }
    for ( ; i < GLUE_MAX_DOMAINS; i++ )
        if ( domains[i] )
            return domains[i];
    return NULL;
}

int domlist_read_lock;

/* Registered before main() runs (__initcall), so not reset by tests. */
static struct {
    keyhandler_fn_t *fn;
    const char *desc;
} keys[256];

void register_keyhandler(unsigned char key, keyhandler_fn_t *fn,
                         const char *desc, bool diagnostic)
{
    /* Xen's register_keyhandler() asserts the key is free. */
    ASSERT(!keys[key].fn);
    keys[key].fn = fn;
    keys[key].desc = desc;
}

bool glue_key(unsigned char key)
{
    if ( !keys[key].fn )
        return false;
    keys[key].fn(key);
    return true;
}

const char *glue_key_desc(unsigned char key)
{
    return keys[key].desc;
}

void domain_pause(struct domain *d)
{
    ASSERT(d != current->domain);
    glue.pauses++;
    glue.depth++;
}

void domain_unpause(struct domain *d)
{
    ASSERT(glue.depth > 0);
    glue.unpauses++;
    glue.depth--;
}

struct domain *rcu_lock_domain_by_id(domid_t dom)
{
    unsigned int i;

    for ( i = 0; i < GLUE_MAX_DOMAINS; i++ )
        if ( domains[i] && domains[i]->domain_id == dom )
            return domains[i];

    return NULL;
}

void rcu_unlock_domain(struct domain *d) {}

static bool faults(const void *p, unsigned long n)
{
    const char *a = p;

    return glue.fault_lo && a < (const char *)glue.fault_hi &&
           a + n > (const char *)glue.fault_lo;
}

unsigned long raw_copy_to_guest(void *to, const void *from, unsigned long n)
{
    if ( faults(to, n) )
        return n;
    memcpy(to, from, n);

    return 0;
}

unsigned long raw_copy_from_guest(void *to, const void *from,
                                  unsigned long n)
{
    if ( faults(from, n) )
        return n;
    memcpy(to, from, n);

    return 0;
}

int dt_find_node_by_gpath(XEN_GUEST_HANDLE(char) u_path, uint32_t u_plen,
                          struct dt_device_node **node)
{
    return -ESRCH;
}

bool dt_device_is_protected(const struct dt_device_node *device)
{
    return false;
}

domid_t dt_device_used_by(const struct dt_device_node *device)
{
    return 0;
}

int dt_parse_phandle_with_args(const struct dt_device_node *np,
                               const char *list_name, const char *cells_name,
                               int index, struct dt_phandle_args *out_args)
{
    return -ENOENT;
}
