/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Architectural definitions of the Arm SMMUv3 (IHI 0070): register offsets,
 * register fields, command, stream table entry, context descriptor and event
 * record layouts.
 *
 * This is the one place these facts live.  The device model, the Xen glue,
 * the host unit tests, the software SMMU model and the bare-metal guest tests
 * all include this file, so it depends on nothing: no Xen header, no libc.
 * The includer provides uint32_t/uint64_t.
 *
 * Section numbers refer to IHI 0070 (chapter 6 for registers, chapter 4 for
 * commands, chapter 5 for data structures, chapter 7 for events).
 */
#ifndef DRIVERS__PASSTHROUGH__ARM__SMMU_V3_ARCH_H
#define DRIVERS__PASSTHROUGH__ARM__SMMU_V3_ARCH_H

/* Bits h..l set, as an unsigned 64-bit constant expression. */
#define SMMU_MASK(h, l) \
    ((~0ULL >> (63 - (h))) & ~((1ULL << (l)) - 1))
#define SMMU_BIT(n)                 (1ULL << (n))

/* Extract/insert a field given its (contiguous, non-zero) mask. */
#define SMMU_FIELD_GET(mask, v)     (((v) & (mask)) / ((mask) & -(mask)))
#define SMMU_FIELD_PREP(mask, v)    (((v) * ((mask) & -(mask))) & (mask))

/*
 * 6.1: the frame is two 64 KiB pages.  Page 1 holds the queue pointers that
 * software polls: EVENTQ_PROD/CONS and PRIQ_PROD/CONS.
 */
#define SMMU_PAGE_SIZE              0x10000U
#define SMMU_FRAME_SIZE             (2 * SMMU_PAGE_SIZE)
#define SMMU_PAGE1                  SMMU_PAGE_SIZE

/* 6.3: page 0 register offsets. */
#define SMMU_IDR0                   0x00U
#define SMMU_IDR1                   0x04U
#define SMMU_IDR2                   0x08U
#define SMMU_IDR3                   0x0CU
#define SMMU_IDR4                   0x10U
#define SMMU_IDR5                   0x14U
#define SMMU_IIDR                   0x18U
#define SMMU_AIDR                   0x1CU
#define SMMU_CR0                    0x20U
#define SMMU_CR0ACK                 0x24U
#define SMMU_CR1                    0x28U
#define SMMU_CR2                    0x2CU
#define SMMU_STATUSR                0x40U
#define SMMU_GBPA                   0x44U
#define SMMU_AGBPA                  0x48U
#define SMMU_IRQ_CTRL               0x50U
#define SMMU_IRQ_CTRLACK            0x54U
#define SMMU_GERROR                 0x60U
#define SMMU_GERRORN                0x64U
#define SMMU_GERROR_IRQ_CFG0        0x68U   /* 64-bit */
#define SMMU_GERROR_IRQ_CFG1        0x70U
#define SMMU_GERROR_IRQ_CFG2        0x74U
#define SMMU_STRTAB_BASE            0x80U   /* 64-bit */
#define SMMU_STRTAB_BASE_CFG        0x88U
#define SMMU_CMDQ_BASE              0x90U   /* 64-bit */
#define SMMU_CMDQ_PROD              0x98U
#define SMMU_CMDQ_CONS              0x9CU
#define SMMU_EVENTQ_BASE            0xA0U   /* 64-bit */
#define SMMU_EVENTQ_IRQ_CFG0        0xB0U   /* 64-bit */
#define SMMU_EVENTQ_IRQ_CFG1        0xB8U
#define SMMU_EVENTQ_IRQ_CFG2        0xBCU
/*
 * PRI queue registers.  The virtual SMMUv3 has no PRI queue (IDR0.PRI = 0),
 * so to its guests they are RES0; Xen's driver of a physical SMMUv3 uses them.
 */
#define SMMU_PRIQ_BASE              0xC0U   /* 64-bit */
#define SMMU_PRIQ_IRQ_CFG0          0xD0U   /* 64-bit */
#define SMMU_PRIQ_IRQ_CFG1          0xD8U
#define SMMU_PRIQ_IRQ_CFG2          0xDCU

/* 6.3: page 1 register offsets, relative to the start of the frame. */
#define SMMU_EVENTQ_PROD            (SMMU_PAGE1 + 0xA8U)
#define SMMU_EVENTQ_CONS            (SMMU_PAGE1 + 0xACU)
#define SMMU_PRIQ_PROD              (SMMU_PAGE1 + 0xC8U)
#define SMMU_PRIQ_CONS              (SMMU_PAGE1 + 0xCCU)

/* 6.3.1 SMMU_IDR0 */
#define SMMU_IDR0_S2P               SMMU_BIT(0)
#define SMMU_IDR0_S1P               SMMU_BIT(1)
#define SMMU_IDR0_TTF               SMMU_MASK(3, 2)
#define   SMMU_IDR0_TTF_AARCH32     1
#define   SMMU_IDR0_TTF_AARCH64     2
#define   SMMU_IDR0_TTF_BOTH        3
#define SMMU_IDR0_COHACC            SMMU_BIT(4)
#define SMMU_IDR0_BTM               SMMU_BIT(5)
#define SMMU_IDR0_HTTU              SMMU_MASK(7, 6)
#define SMMU_IDR0_DORMHINT          SMMU_BIT(8)
#define SMMU_IDR0_HYP               SMMU_BIT(9)
#define SMMU_IDR0_ATS               SMMU_BIT(10)
#define SMMU_IDR0_NS1ATS            SMMU_BIT(11)
#define SMMU_IDR0_ASID16            SMMU_BIT(12)
#define SMMU_IDR0_MSI               SMMU_BIT(13)
#define SMMU_IDR0_SEV               SMMU_BIT(14)
#define SMMU_IDR0_ATOS              SMMU_BIT(15)
#define SMMU_IDR0_PRI               SMMU_BIT(16)
#define SMMU_IDR0_VMW               SMMU_BIT(17)
#define SMMU_IDR0_VMID16            SMMU_BIT(18)
#define SMMU_IDR0_CD2L              SMMU_BIT(19)
#define SMMU_IDR0_VATOS             SMMU_BIT(20)
#define SMMU_IDR0_TTENDIAN          SMMU_MASK(22, 21)
#define   SMMU_IDR0_TTENDIAN_MIXED  0
#define   SMMU_IDR0_TTENDIAN_LE     2
#define   SMMU_IDR0_TTENDIAN_BE     3
#define SMMU_IDR0_ATSRECERR         SMMU_BIT(23)
#define SMMU_IDR0_STALL_MODEL       SMMU_MASK(25, 24)
#define   SMMU_IDR0_STALL_MODEL_STALL_TERM  0
#define   SMMU_IDR0_STALL_MODEL_TERM_ONLY   1
#define   SMMU_IDR0_STALL_MODEL_STALL_FORCE 2
#define SMMU_IDR0_TERM_MODEL        SMMU_BIT(26)
#define SMMU_IDR0_ST_LEVEL          SMMU_MASK(28, 27)
#define   SMMU_IDR0_ST_LEVEL_LINEAR 0
#define   SMMU_IDR0_ST_LEVEL_2LVL   1
#define SMMU_IDR0_RME_IMPL          SMMU_BIT(30)

/* 6.3.2 SMMU_IDR1 */
#define SMMU_IDR1_SIDSIZE           SMMU_MASK(5, 0)
#define SMMU_IDR1_SSIDSIZE          SMMU_MASK(10, 6)
#define SMMU_IDR1_PRIQS             SMMU_MASK(15, 11)
#define SMMU_IDR1_EVENTQS           SMMU_MASK(20, 16)
#define SMMU_IDR1_CMDQS             SMMU_MASK(25, 21)
#define SMMU_IDR1_ATTR_PERMS_OVR    SMMU_BIT(26)
#define SMMU_IDR1_ATTR_TYPES_OVR    SMMU_BIT(27)
#define SMMU_IDR1_REL               SMMU_BIT(28)
#define SMMU_IDR1_QUEUES_PRESET     SMMU_BIT(29)
#define SMMU_IDR1_TABLES_PRESET     SMMU_BIT(30)
#define SMMU_IDR1_ECMDQ             SMMU_BIT(31)
/* Architectural maxima of the IDR1 size fields. */
#define SMMU_MAX_SIDSIZE            32
#define SMMU_MAX_QUEUE_LOG2         19

/* 6.3.4 SMMU_IDR3 */
#define SMMU_IDR3_HAD               SMMU_BIT(2)
#define SMMU_IDR3_PBHA              SMMU_BIT(3)
#define SMMU_IDR3_XNX               SMMU_BIT(4)
#define SMMU_IDR3_PPS               SMMU_BIT(5)
#define SMMU_IDR3_MPAM              SMMU_BIT(7)
#define SMMU_IDR3_FWB               SMMU_BIT(8)
#define SMMU_IDR3_STT               SMMU_BIT(9)
#define SMMU_IDR3_RIL               SMMU_BIT(10)
#define SMMU_IDR3_BBML              SMMU_MASK(12, 11)

/* 6.3.6 SMMU_IDR5 */
#define SMMU_IDR5_OAS               SMMU_MASK(2, 0)
#define   SMMU_IDR5_OAS_32          0
#define   SMMU_IDR5_OAS_36          1
#define   SMMU_IDR5_OAS_40          2
#define   SMMU_IDR5_OAS_42          3
#define   SMMU_IDR5_OAS_44          4
#define   SMMU_IDR5_OAS_48          5
#define   SMMU_IDR5_OAS_52          6
#define SMMU_IDR5_GRAN4K            SMMU_BIT(4)
#define SMMU_IDR5_GRAN16K           SMMU_BIT(5)
#define SMMU_IDR5_GRAN64K           SMMU_BIT(6)
#define SMMU_IDR5_VAX               SMMU_MASK(11, 10)
#define   SMMU_IDR5_VAX_48          0
#define   SMMU_IDR5_VAX_52          1
#define SMMU_IDR5_STALL_MAX         SMMU_MASK(31, 16)

/* 6.3.7 SMMU_IIDR */
#define SMMU_IIDR_IMPLEMENTER       SMMU_MASK(11, 0)
#define SMMU_IIDR_REVISION          SMMU_MASK(15, 12)
#define SMMU_IIDR_VARIANT           SMMU_MASK(19, 16)
#define SMMU_IIDR_PRODUCTID         SMMU_MASK(31, 20)
#define SMMU_IIDR_IMPLEMENTER_ARM   0x43B

/* 6.3.8 SMMU_AIDR */
#define SMMU_AIDR_MINOR             SMMU_MASK(3, 0)
#define SMMU_AIDR_MAJOR             SMMU_MASK(7, 4)

/* 6.3.9/6.3.10 SMMU_CR0 and SMMU_CR0ACK */
#define SMMU_CR0_SMMUEN             SMMU_BIT(0)
#define SMMU_CR0_PRIQEN             SMMU_BIT(1)
#define SMMU_CR0_EVENTQEN           SMMU_BIT(2)
#define SMMU_CR0_CMDQEN             SMMU_BIT(3)
#define SMMU_CR0_ATSCHK             SMMU_BIT(4)
#define SMMU_CR0_VMW                SMMU_MASK(8, 6)

/* 6.3.11 SMMU_CR1 */
#define SMMU_CR1_QUEUE_IC           SMMU_MASK(1, 0)
#define SMMU_CR1_QUEUE_OC           SMMU_MASK(3, 2)
#define SMMU_CR1_QUEUE_SH           SMMU_MASK(5, 4)
#define SMMU_CR1_TABLE_IC           SMMU_MASK(7, 6)
#define SMMU_CR1_TABLE_OC           SMMU_MASK(9, 8)
#define SMMU_CR1_TABLE_SH           SMMU_MASK(11, 10)
/* The cacheability encoding of the CR1 *_IC and *_OC fields. */
#define   SMMU_CR1_CACHE_NC         0
#define   SMMU_CR1_CACHE_WB         1
#define   SMMU_CR1_CACHE_WT         2

/* 6.3.12 SMMU_CR2 */
#define SMMU_CR2_E2H                SMMU_BIT(0)
#define SMMU_CR2_RECINVSID          SMMU_BIT(1)
#define SMMU_CR2_PTM                SMMU_BIT(2)

/* 6.3.14 SMMU_GBPA */
#define SMMU_GBPA_MEMATTR           SMMU_MASK(3, 0)
#define SMMU_GBPA_MTCFG             SMMU_BIT(4)
#define SMMU_GBPA_ALLOCCFG          SMMU_MASK(11, 8)
#define SMMU_GBPA_SHCFG             SMMU_MASK(13, 12)
#define   SMMU_GBPA_SHCFG_INCOMING  1
#define SMMU_GBPA_PRIVCFG           SMMU_MASK(17, 16)
#define SMMU_GBPA_INSTCFG           SMMU_MASK(19, 18)
#define SMMU_GBPA_ABORT             SMMU_BIT(20)
#define SMMU_GBPA_UPDATE            SMMU_BIT(31)

/* 6.3.16/6.3.17 SMMU_IRQ_CTRL and SMMU_IRQ_CTRLACK */
#define SMMU_IRQ_CTRL_GERROR_IRQEN  SMMU_BIT(0)
#define SMMU_IRQ_CTRL_PRIQ_IRQEN    SMMU_BIT(1)
#define SMMU_IRQ_CTRL_EVENTQ_IRQEN  SMMU_BIT(2)

/* 6.3.18/6.3.19 SMMU_GERROR and SMMU_GERRORN */
#define SMMU_GERROR_CMDQ_ERR            SMMU_BIT(0)
#define SMMU_GERROR_EVENTQ_ABT_ERR      SMMU_BIT(2)
#define SMMU_GERROR_PRIQ_ABT_ERR        SMMU_BIT(3)
#define SMMU_GERROR_MSI_CMDQ_ABT_ERR    SMMU_BIT(4)
#define SMMU_GERROR_MSI_EVENTQ_ABT_ERR  SMMU_BIT(5)
#define SMMU_GERROR_MSI_PRIQ_ABT_ERR    SMMU_BIT(6)
#define SMMU_GERROR_MSI_GERROR_ABT_ERR  SMMU_BIT(7)
#define SMMU_GERROR_SFM_ERR             SMMU_BIT(8)
#define SMMU_GERROR_CMDQP_ERR           SMMU_BIT(9)

/* 6.3.20-6.3.22, 6.3.34-6.3.36: *_IRQ_CFG0/1/2 (MSI target) */
#define SMMU_IRQ_CFG0_ADDR          SMMU_MASK(51, 2)
#define SMMU_IRQ_CFG2_MEMATTR       SMMU_MASK(3, 0)
#define SMMU_IRQ_CFG2_SH            SMMU_MASK(5, 4)

/*
 * Shareability and memory type encodings shared by several fields: the
 * *_SH fields of SMMU_CR1 (6.3.11) and of *_IRQ_CFG2, CMD_SYNC's MSH and
 * MSIAttr (4.7.3), and MemAttr of *_IRQ_CFG2 (encoded as STE.MemAttr, 5.2).
 */
#define SMMU_SH_NSH                 0
#define SMMU_SH_OSH                 2
#define SMMU_SH_ISH                 3
#define SMMU_MEMATTR_DEVICE_nGnRE   0x1
#define SMMU_MEMATTR_OIWB           0xF     /* Normal, inner/outer WB */

/* 6.3.23 SMMU_STRTAB_BASE */
#define SMMU_STRTAB_BASE_ADDR       SMMU_MASK(51, 6)
#define SMMU_STRTAB_BASE_RA         SMMU_BIT(62)

/* 6.3.24 SMMU_STRTAB_BASE_CFG */
#define SMMU_STRTAB_BASE_CFG_LOG2SIZE   SMMU_MASK(5, 0)
#define SMMU_STRTAB_BASE_CFG_SPLIT      SMMU_MASK(10, 6)
#define SMMU_STRTAB_BASE_CFG_FMT        SMMU_MASK(17, 16)
#define   SMMU_STRTAB_FMT_LINEAR        0
#define   SMMU_STRTAB_FMT_2LVL          1

/* 6.3.25, 6.3.29: SMMU_CMDQ_BASE and SMMU_EVENTQ_BASE */
#define SMMU_Q_BASE_LOG2SIZE        SMMU_MASK(4, 0)
#define SMMU_Q_BASE_ADDR            SMMU_MASK(51, 5)
#define SMMU_Q_BASE_RWA             SMMU_BIT(62)

/*
 * 6.3.26-6.3.31: queue pointers.  The index occupies LOG2SIZE bits, the
 * wrap flag is the next bit up, and the pointer field is bits [19:0].
 */
#define SMMU_Q_PTR_MASK             SMMU_MASK(19, 0)
#define SMMU_CMDQ_CONS_ERR          SMMU_MASK(30, 24)
#define   SMMU_CERROR_NONE          0
#define   SMMU_CERROR_ILL           1
#define   SMMU_CERROR_ABT           2
#define   SMMU_CERROR_ATC_INV_SYNC  3
#define SMMU_EVENTQ_PROD_OVFLG      SMMU_BIT(31)
#define SMMU_EVENTQ_CONS_OVACKFLG   SMMU_BIT(31)
#define SMMU_PRIQ_PROD_OVFLG        SMMU_BIT(31)
#define SMMU_PRIQ_CONS_OVACKFLG     SMMU_BIT(31)

/* 4.1: commands are two 64-bit words, 16 bytes. */
#define SMMU_CMD_SIZE               16U
#define SMMU_CMD_OPCODE             SMMU_MASK(7, 0)

/* 4.1.1 command opcodes. */
#define SMMU_OP_PREFETCH_CONFIG     0x01
#define SMMU_OP_PREFETCH_ADDR       0x02
#define SMMU_OP_CFGI_STE            0x03
#define SMMU_OP_CFGI_STE_RANGE      0x04    /* Range 31: CFGI_ALL */
#define SMMU_OP_CFGI_CD             0x05
#define SMMU_OP_CFGI_CD_ALL         0x06
#define SMMU_OP_CFGI_VMS_PIDM       0x07
#define SMMU_OP_TLBI_NH_ALL         0x10
#define SMMU_OP_TLBI_NH_ASID        0x11
#define SMMU_OP_TLBI_NH_VA          0x12
#define SMMU_OP_TLBI_NH_VAA         0x13
#define SMMU_OP_TLBI_EL3_ALL        0x18
#define SMMU_OP_TLBI_EL3_VA         0x1A
#define SMMU_OP_TLBI_EL2_ALL        0x20
#define SMMU_OP_TLBI_EL2_ASID       0x21
#define SMMU_OP_TLBI_EL2_VA         0x22
#define SMMU_OP_TLBI_EL2_VAA        0x23
#define SMMU_OP_TLBI_S12_VMALL      0x28
#define SMMU_OP_TLBI_S2_IPA         0x2A
#define SMMU_OP_TLBI_NSNH_ALL       0x30
#define SMMU_OP_ATC_INV             0x40
#define SMMU_OP_PRI_RESP            0x41
#define SMMU_OP_RESUME              0x44
#define SMMU_OP_STALL_TERM          0x45
#define SMMU_OP_CMD_SYNC            0x46

/* Fields shared by the configuration commands (4.3). */
#define SMMU_CMD0_SSEC              SMMU_BIT(10)
#define SMMU_CMD0_SSV               SMMU_BIT(11)
#define SMMU_CMD0_SSID              SMMU_MASK(31, 12)
#define SMMU_CMD0_SID               SMMU_MASK(63, 32)
#define SMMU_CMD1_LEAF              SMMU_BIT(0)
#define SMMU_CMD1_CFGI_RANGE        SMMU_MASK(4, 0)
#define SMMU_CFGI_RANGE_ALL         31
#define SMMU_CMD1_PREFETCH_SIZE     SMMU_MASK(4, 0)
#define SMMU_CMD1_PREFETCH_ADDR     SMMU_MASK(63, 12)

/* TLB invalidation commands (4.4). */
#define SMMU_CMD0_TLBI_NUM          SMMU_MASK(16, 12)
#define SMMU_CMD0_TLBI_SCALE        SMMU_MASK(24, 20)
#define SMMU_CMD0_TLBI_VMID         SMMU_MASK(47, 32)
#define SMMU_CMD0_TLBI_ASID         SMMU_MASK(63, 48)
#define SMMU_CMD1_TLBI_LEAF         SMMU_BIT(0)
#define SMMU_CMD1_TLBI_TTL          SMMU_MASK(9, 8)
#define SMMU_CMD1_TLBI_TG           SMMU_MASK(11, 10)
#define SMMU_CMD1_TLBI_ADDR         SMMU_MASK(63, 12)
#define SMMU_CMD1_TLBI_IPA          SMMU_MASK(51, 12)   /* TLBI_S2_IPA */

/* ATC invalidation (4.5). */
#define SMMU_CMD0_ATC_GLOBAL        SMMU_BIT(9)
#define SMMU_CMD1_ATC_SIZE          SMMU_MASK(5, 0)
#define SMMU_CMD1_ATC_ADDR          SMMU_MASK(63, 12)
#define SMMU_ATC_INV_SIZE_ALL       52      /* the whole address space */

/* CMD_PRI_RESP (4.5.2). */
#define SMMU_CMD1_PRI_GRPID         SMMU_MASK(8, 0)
#define SMMU_CMD1_PRI_RESP          SMMU_MASK(13, 12)

/* CMD_SYNC (4.7.3). */
#define SMMU_CMD0_SYNC_CS           SMMU_MASK(13, 12)
#define   SMMU_SYNC_CS_NONE         0
#define   SMMU_SYNC_CS_IRQ          1
#define   SMMU_SYNC_CS_SEV          2
#define SMMU_CMD0_SYNC_MSH          SMMU_MASK(23, 22)
#define SMMU_CMD0_SYNC_MSIATTR      SMMU_MASK(27, 24)
#define SMMU_CMD0_SYNC_MSIDATA      SMMU_MASK(63, 32)
#define SMMU_CMD1_SYNC_MSIADDR      SMMU_MASK(51, 2)

/* 5.1: the level 1 stream table descriptor, one 64-bit word. */
#define SMMU_L1STD_SIZE             8U
#define SMMU_L1STD_SPAN             SMMU_MASK(4, 0)
#define SMMU_L1STD_L2PTR            SMMU_MASK(51, 6)

/* 5.2: stream table entry, eight 64-bit words. */
#define SMMU_STE_SIZE               64U
#define SMMU_STE_DWORDS             8U
#define SMMU_STE0_V                 SMMU_BIT(0)
#define SMMU_STE0_CONFIG            SMMU_MASK(3, 1)
#define   SMMU_STE_CONFIG_ABORT     0
#define   SMMU_STE_CONFIG_BYPASS    4
#define   SMMU_STE_CONFIG_S1_TRANS  5
#define   SMMU_STE_CONFIG_S2_TRANS  6
#define   SMMU_STE_CONFIG_NESTED    7
#define SMMU_STE0_S1FMT             SMMU_MASK(5, 4)
#define   SMMU_STE_S1FMT_LINEAR     0
#define   SMMU_STE_S1FMT_4K_L2      1
#define   SMMU_STE_S1FMT_64K_L2     2
#define SMMU_STE0_S1CTXPTR          SMMU_MASK(51, 6)
#define SMMU_STE0_S1CDMAX           SMMU_MASK(63, 59)
#define SMMU_STE1_S1DSS             SMMU_MASK(1, 0)
#define   SMMU_STE_S1DSS_TERMINATE  0
#define   SMMU_STE_S1DSS_BYPASS     1
#define   SMMU_STE_S1DSS_SSID0      2
#define SMMU_STE1_S1CIR             SMMU_MASK(3, 2)
#define SMMU_STE1_S1COR             SMMU_MASK(5, 4)
/* The cacheability encoding of S1CIR and S1COR. */
#define   SMMU_STE_S1C_CACHE_NC     0
#define   SMMU_STE_S1C_CACHE_WBRA   1
#define   SMMU_STE_S1C_CACHE_WT     2
#define   SMMU_STE_S1C_CACHE_WB     3
#define SMMU_STE1_S1CSH             SMMU_MASK(7, 6)
#define SMMU_STE1_S1STALLD          SMMU_BIT(27)
#define SMMU_STE1_EATS              SMMU_MASK(29, 28)
#define   SMMU_STE_EATS_ABT         0
#define   SMMU_STE_EATS_TRANS       1
#define   SMMU_STE_EATS_S1CHK       2
#define SMMU_STE1_STRW              SMMU_MASK(31, 30)
#define   SMMU_STE_STRW_NSEL1       0
#define   SMMU_STE_STRW_EL2         2
#define SMMU_STE1_SHCFG             SMMU_MASK(45, 44)
#define   SMMU_STE_SHCFG_INCOMING   1
#define SMMU_STE2_S2VMID            SMMU_MASK(15, 0)
#define SMMU_STE2_VTCR              SMMU_MASK(50, 32)
/* The VTCR fields, in place in word 2. */
#define SMMU_STE2_S2T0SZ            SMMU_MASK(37, 32)
#define SMMU_STE2_S2SL0             SMMU_MASK(39, 38)
#define SMMU_STE2_S2IR0             SMMU_MASK(41, 40)
#define SMMU_STE2_S2OR0             SMMU_MASK(43, 42)
#define SMMU_STE2_S2SH0             SMMU_MASK(45, 44)
#define SMMU_STE2_S2TG              SMMU_MASK(47, 46)
#define   SMMU_STE_S2TG_4K          0
#define   SMMU_STE_S2TG_64K         1
#define   SMMU_STE_S2TG_16K         2
#define SMMU_STE2_S2PS              SMMU_MASK(50, 48)
#define SMMU_STE2_S2AA64            SMMU_BIT(51)
#define SMMU_STE2_S2ENDI            SMMU_BIT(52)
#define SMMU_STE2_S2AFFD            SMMU_BIT(53)
#define SMMU_STE2_S2PTW             SMMU_BIT(54)
#define SMMU_STE2_S2HD              SMMU_BIT(55)
#define SMMU_STE2_S2HA              SMMU_BIT(56)
#define SMMU_STE2_S2S               SMMU_BIT(57)
#define SMMU_STE2_S2R               SMMU_BIT(58)
#define SMMU_STE3_S2TTB             SMMU_MASK(51, 4)

/*
 * The STE fields a guest may own under nesting: the stage-1 configuration
 * only (the kernel's iommufd nesting whitelist).  Everything else in the
 * guest's STE is ignored, never copied to a physical STE.
 */
#define SMMU_STE0_GUEST_MASK \
    (SMMU_STE0_V | SMMU_STE0_CONFIG | SMMU_STE0_S1FMT | \
     SMMU_STE0_S1CTXPTR | SMMU_STE0_S1CDMAX)
#define SMMU_STE1_GUEST_MASK \
    (SMMU_STE1_S1DSS | SMMU_STE1_S1CIR | SMMU_STE1_S1COR | \
     SMMU_STE1_S1CSH | SMMU_STE1_S1STALLD | SMMU_STE1_EATS)

/* 5.3: the level 1 context descriptor, one 64-bit word. */
#define SMMU_L1CD_SIZE              8U
#define SMMU_L1CD_V                 SMMU_BIT(0)
#define SMMU_L1CD_L2PTR             SMMU_MASK(51, 12)

/* 5.4: context descriptor, eight 64-bit words. */
#define SMMU_CD_SIZE                64U
#define SMMU_CD_DWORDS              8U
#define SMMU_CD0_T0SZ               SMMU_MASK(5, 0)
#define SMMU_CD0_TG0                SMMU_MASK(7, 6)
#define   SMMU_CD_TG0_4K            0
#define   SMMU_CD_TG0_64K           1
#define   SMMU_CD_TG0_16K           2
#define SMMU_CD0_IRGN0              SMMU_MASK(9, 8)
#define SMMU_CD0_ORGN0              SMMU_MASK(11, 10)
#define SMMU_CD0_SH0                SMMU_MASK(13, 12)
#define SMMU_CD0_EPD0               SMMU_BIT(14)
#define SMMU_CD0_ENDI               SMMU_BIT(15)
#define SMMU_CD0_T1SZ               SMMU_MASK(21, 16)
#define SMMU_CD0_TG1                SMMU_MASK(23, 22)
#define   SMMU_CD_TG1_16K           1
#define   SMMU_CD_TG1_4K            2
#define   SMMU_CD_TG1_64K           3
#define SMMU_CD0_IRGN1              SMMU_MASK(25, 24)
#define SMMU_CD0_ORGN1              SMMU_MASK(27, 26)
#define SMMU_CD0_SH1                SMMU_MASK(29, 28)
#define SMMU_CD0_EPD1               SMMU_BIT(30)
#define SMMU_CD0_V                  SMMU_BIT(31)
#define SMMU_CD0_IPS                SMMU_MASK(34, 32)
#define SMMU_CD0_AFFD               SMMU_BIT(35)
#define SMMU_CD0_WXN                SMMU_BIT(36)
#define SMMU_CD0_UWXN               SMMU_BIT(37)
#define SMMU_CD0_TBI0               SMMU_BIT(38)
#define SMMU_CD0_TBI1               SMMU_BIT(39)
#define SMMU_CD0_PAN                SMMU_BIT(40)
#define SMMU_CD0_AA64               SMMU_BIT(41)
#define SMMU_CD0_HD                 SMMU_BIT(42)
#define SMMU_CD0_HA                 SMMU_BIT(43)
#define SMMU_CD0_S                  SMMU_BIT(44)
#define SMMU_CD0_R                  SMMU_BIT(45)
#define SMMU_CD0_A                  SMMU_BIT(46)
#define SMMU_CD0_ASET               SMMU_BIT(47)
#define SMMU_CD0_ASID               SMMU_MASK(63, 48)
#define SMMU_CD1_TTB0               SMMU_MASK(51, 4)
#define SMMU_CD2_TTB1               SMMU_MASK(51, 4)
/* Word 3 is MAIR0, word 4 MAIR1, word 5 AMAIR0, word 6 AMAIR1. */

/* 7.2: event records are four 64-bit words, 32 bytes. */
#define SMMU_EVT_SIZE               32U
#define SMMU_EVT0_ID                SMMU_MASK(7, 0)
#define SMMU_EVT0_SSV               SMMU_BIT(11)
#define SMMU_EVT0_SSID              SMMU_MASK(31, 12)
#define SMMU_EVT0_SID               SMMU_MASK(63, 32)
#define SMMU_EVT1_STAG              SMMU_MASK(15, 0)
#define SMMU_EVT1_STALL             SMMU_BIT(31)
#define SMMU_EVT1_PNU               SMMU_BIT(33)
#define SMMU_EVT1_IND               SMMU_BIT(34)
#define SMMU_EVT1_RNW               SMMU_BIT(35)
#define SMMU_EVT1_NSIPA             SMMU_BIT(38)
#define SMMU_EVT1_S2                SMMU_BIT(39)
#define SMMU_EVT1_CLASS             SMMU_MASK(41, 40)
#define   SMMU_EVT_CLASS_CD         0
#define   SMMU_EVT_CLASS_TTD        1
#define   SMMU_EVT_CLASS_IN         2
#define SMMU_EVT3_IPA               SMMU_MASK(51, 12)
#define SMMU_EVT3_FETCH_ADDR        SMMU_MASK(55, 3)    /* F_*_FETCH */

/* 7.3 event numbers. */
#define SMMU_EVT_F_UUT              0x01
#define SMMU_EVT_C_BAD_STREAMID     0x02
#define SMMU_EVT_F_STE_FETCH        0x03
#define SMMU_EVT_C_BAD_STE          0x04
#define SMMU_EVT_F_BAD_ATS_TREQ     0x05
#define SMMU_EVT_F_STREAM_DISABLED  0x06
#define SMMU_EVT_F_TRANSL_FORBIDDEN 0x07
#define SMMU_EVT_C_BAD_SUBSTREAMID  0x08
#define SMMU_EVT_F_CD_FETCH         0x09
#define SMMU_EVT_C_BAD_CD           0x0A
#define SMMU_EVT_F_WALK_EABT        0x0B
#define SMMU_EVT_F_TRANSLATION      0x10
#define SMMU_EVT_F_ADDR_SIZE        0x11
#define SMMU_EVT_F_ACCESS           0x12
#define SMMU_EVT_F_PERMISSION       0x13
#define SMMU_EVT_F_TLB_CONFLICT     0x20
#define SMMU_EVT_F_CFG_CONFLICT     0x21
#define SMMU_EVT_E_PAGE_REQUEST     0x24

/* 8: PRI queue entries (page requests) are two 64-bit words, 16 bytes. */
#define SMMU_PRI_SIZE               16U
#define SMMU_PRI0_SID               SMMU_MASK(31, 0)
#define SMMU_PRI0_SSID              SMMU_MASK(51, 32)
#define SMMU_PRI0_PERM_PRIV         SMMU_BIT(58)
#define SMMU_PRI0_PERM_EXEC         SMMU_BIT(59)
#define SMMU_PRI0_PERM_READ         SMMU_BIT(60)
#define SMMU_PRI0_PERM_WRITE        SMMU_BIT(61)
#define SMMU_PRI0_LAST              SMMU_BIT(62)
#define SMMU_PRI0_SSV               SMMU_BIT(63)
#define SMMU_PRI1_PRG_INDEX         SMMU_MASK(8, 0)
#define SMMU_PRI1_ADDR              SMMU_MASK(63, 12)

/* Output address size in bits for an IDR5.OAS / CD.IPS encoding. */
#define SMMU_OAS_BITS(enc) \
    ((enc) == 0 ? 32 : (enc) == 1 ? 36 : (enc) == 2 ? 40 : \
     (enc) == 3 ? 42 : (enc) == 4 ? 44 : (enc) == 5 ? 48 : 52)

#endif /* DRIVERS__PASSTHROUGH__ARM__SMMU_V3_ARCH_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
