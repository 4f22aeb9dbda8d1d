/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Nesting a guest's stage 1 on Xen's stage 2 on a physical SMMUv3: the
 * interface between Xen's SMMUv3 driver (smmu-v3.c) and the virtual SMMUv3
 * (vsmmu-v3/), and the parts of the driver's side that need no hardware,
 * so that host tests can check them against a software SMMUv3:
 *
 * - whether an SMMU can nest at all (its ID registers and known errata);
 * - the stream table entry of a stream the vIOMMU controls: abort, stage 2
 *   only, or the guest's stage 1 nested on the domain's stage 2, built from
 *   the guest's words only through a whitelist (IHI 0070 5.2);
 * - the order in which a live STE is rewritten so that no transaction ever
 *   sees a bypass or a mix of two configurations;
 * - the check of every invalidation a vIOMMU hands to the physical command
 *   queue: known opcodes, the domain's VMID, its own StreamIDs.
 *
 * Locking: a vSMMU calls the ops below with its own lock held, and the
 * driver takes its locks inside them (the whole order is stated once, in
 * vsmmu-v3/vsmmu-v3.h).  The driver therefore never calls into a vSMMU
 * with one of its own locks held: physical events go to
 * viommu_handle_phys_event() and released streams to
 * viommu_release_stream() (asm/viommu.h) from outside them.
 */
#ifndef DRIVERS__PASSTHROUGH__ARM__SMMU_V3_NESTED_H
#define DRIVERS__PASSTHROUGH__ARM__SMMU_V3_NESTED_H

#include <xen/bitops.h>
#include <xen/const.h>
#include <xen/macros.h>
#include <xen/types.h>

#include "smmu-v3-arch.h"

struct domain;

/* What one physical SMMUv3 implements, as its driver read it at probe. */
struct vsmmuv3_phys_caps {
    uint32_t idr[6];
    uint32_t iidr;
    uint32_t aidr;
};

/*
 * Work a vSMMU hands to a physical SMMUv3 on behalf of its domain.  Xen's
 * smmu-v3.c implements it for real hardware, the project's tests with a
 * software SMMUv3.  Calls are made with the vSMMU lock held; they must not
 * call back into the device model.  Each returns 0 or a negative errno.
 *
 * Ownership: @priv names one (physical SMMU, domain) pair.  A call about a
 * StreamID that is not a stream of a device assigned to that domain behind
 * that SMMU changes nothing and fails with -EPERM.  The first of
 * install_nested, set_abort and set_s2_only for a stream puts it under the
 * vSMMU's control; it stays there until the device is deassigned, when the
 * driver unbinds it (viommu_release_stream()) and gives the stream its own
 * configuration back.
 */
struct vsmmuv3_phys_ops {
    /*
     * Translate physical stream @psid with the guest's stage 1 nested on the
     * domain's stage 2.  @ste holds words 0 and 1 of the guest's STE, already
     * validated and reduced to V, Config (stage 1), S1ContextPtr, S1CIR,
     * S1COR and S1CSH; anything else is -EINVAL.
     */
    int (*install_nested)(void *priv, uint32_t psid, const uint64_t ste[2]);
    /* Abort every transaction of @psid. */
    int (*set_abort)(void *priv, uint32_t psid);
    /* Translate @psid with the domain's stage 2 only (the guest's "bypass"). */
    int (*set_s2_only)(void *priv, uint32_t psid);
    /*
     * Queue @nr invalidation commands, already rewritten for this SMMU (the
     * domain's VMID, physical StreamIDs).  Queuing implies no completion.
     * The driver checks each (smmuv3_nested_check_cmd()) and queues none
     * unless all pass.
     */
    int (*queue_inval)(void *priv, const uint64_t (*cmds)[2],
                       unsigned int nr);
    /* Complete every command queued so far: one physical CMD_SYNC. */
    int (*sync)(void *priv);
};

struct dt_device_node;

/*
 * A physical SMMUv3 as the vSMMU and the framework name it (asm/viommu.h's
 * viommu_phys_t): its host device-tree node.  Only compared, and handed
 * back to the driver; the model never looks inside.
 */
typedef struct dt_device_node smmuv3_phys_t;

/* One physical SMMUv3 bound to one vSMMU. */
struct vsmmuv3_backend {
    const smmuv3_phys_t *phys_id;   /* identity */
    /*
     * The SMMU's identity as a saved vSMMU names it: the host physical
     * address of its registers, the same across reboots and live update,
     * never a pointer.
     */
    uint64_t stable_id;
    const struct vsmmuv3_phys_ops *ops;
    void *priv;                 /* the driver's (SMMU, domain) context */
    struct vsmmuv3_phys_caps caps;
    uint16_t vmid;              /* the domain's VMID on this SMMU */
};

/*
 * Provided by smmu-v3.c.
 */
#ifdef CONFIG_ARM_SMMU_V3
/*
 * Fill @b with up to @max physical SMMUv3s that can nest for domain @d,
 * each with the domain's context on it (created if need be, with its VMID)
 * held until smmuv3_nested_put_backends().  SMMUs that cannot nest are
 * named in the log with the reason.  Returns how many were filled, or a
 * negative errno (nothing is held then).
 */
int smmuv3_nested_get_backends(struct domain *d, struct vsmmuv3_backend *b,
                               unsigned int max);
/* Release what smmuv3_nested_get_backends() filled in @b. */
void smmuv3_nested_put_backends(struct domain *d,
                                const struct vsmmuv3_backend *b,
                                unsigned int nr);
/*
 * Why physical SMMU @phys_id (a host DT node) cannot front streams of a
 * vSMMU, or NULL if it can or is not an SMMUv3 Xen drives.
 */
const char *smmuv3_nested_phys_refusal(const smmuv3_phys_t *phys_id);
#else
static inline int smmuv3_nested_get_backends(struct domain *d,
                                             struct vsmmuv3_backend *b,
                                             unsigned int max)
{
    return 0;
}
static inline void smmuv3_nested_put_backends(struct domain *d,
                                              const struct vsmmuv3_backend *b,
                                              unsigned int nr) {}
static inline const char *smmuv3_nested_phys_refusal(
    const smmuv3_phys_t *phys_id)
{
    return NULL;
}
#endif

/*
 * The pure parts (smmu-v3-nested.c).
 */

/*
 * NULL if the SMMU can translate a guest's stage 1 nested on Xen's stage
 * 2, else why not, for a message.
 */
const char *smmuv3_nested_refusal(const struct vsmmuv3_phys_caps *caps);

/* How a stream the vIOMMU controls translates. */
enum smmuv3_nested_mode {
    SMMUV3_NESTED_ABORT,        /* every transaction aborts */
    SMMUV3_NESTED_S2,           /* the domain's stage 2 only */
    SMMUV3_NESTED_S1S2,         /* the guest's stage 1 on stage 2 */
};

/*
 * The stage-2 half of the domain's STEs on this SMMU, as the driver builds
 * it for stage-2-only streams: word 2 (S2VMID, VTCR, S2AA64, S2PTW, S2R, ...)
 * and word 3 (S2TTB).
 */
struct smmuv3_nested_s2 {
    uint64_t ste2;
    uint64_t ste3;
};

/* Stream table entries are rewritten four words at a time; 4-7 stay 0. */
#define SMMUV3_NESTED_STE_WORDS 4

/*
 * Build the STE of a stream in @mode.  For SMMUV3_NESTED_S1S2, @guest holds
 * words 0 and 1 of the guest's STE as the vSMMU reduced them; they are
 * checked again here, whatever the vSMMU did: -EINVAL unless they say
 * V=1, Config S1 translate, S1Fmt linear, S1CDMax 0, and nothing outside
 * the stage-1 fields a guest may own.  The physical STE takes S1ContextPtr
 * (a guest IPA, walked through stage 2) and S1CIR/S1COR/S1CSH from them,
 * everything else from the driver: stage 2 and the VMID (@s2), stalls
 * disabled (S1STALLD) where the SMMU could stall, no ATS, EL1 stream world.
 */
int smmuv3_nested_make_ste(uint64_t ste[SMMUV3_NESTED_STE_WORDS],
                           enum smmuv3_nested_mode mode,
                           const uint64_t guest[2],
                           const struct smmuv3_nested_s2 *s2,
                           const struct vsmmuv3_phys_caps *caps);

/*
 * One write of the plan to change a live STE: word @word gets @val; then,
 * if @sync, CFGI_STE for the stream and CMD_SYNC, so that the SMMU reads
 * the entry again before the next write.
 */
struct smmuv3_nested_write {
    uint8_t word;
    bool sync;
    uint64_t val;
};
#define SMMUV3_NESTED_PLAN_MAX  (2 * SMMUV3_NESTED_STE_WORDS)

/*
 * The writes that take an STE from @old to @new so that, whichever of the
 * written words the SMMU has read when, a transaction sees the old
 * configuration, the new one, or an abort: never a bypass, never a mix.
 * Where the used bits of one word only change, the update is hitless (no
 * abort): the others' ignored bits first, then that word.  Returns the
 * number of writes in @plan (0 if nothing changes).
 */
unsigned int smmuv3_nested_plan(const uint64_t old[SMMUV3_NESTED_STE_WORDS],
                                const uint64_t new[SMMUV3_NESTED_STE_WORDS],
                                struct smmuv3_nested_write *plan);

/*
 * An invalidation a vIOMMU asks this SMMU for, checked before it goes to
 * the physical command queue, which every domain shares: TLBI_NH_ALL,
 * TLBI_NH_ASID, TLBI_NH_VA and TLBI_NH_VAA must carry @vmid, CFGI_CD and
 * CFGI_CD_ALL a StreamID @owns says the domain controls; nothing else
 * passes, and no field outside those the opcode defines may be set.  0 or
 * -EPERM/-EINVAL.
 */
int smmuv3_nested_check_cmd(const uint64_t cmd[2], uint16_t vmid,
                            bool (*owns)(const void *ctx, uint32_t sid),
                            const void *ctx);

#endif /* DRIVERS__PASSTHROUGH__ARM__SMMU_V3_NESTED_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
