/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Architectural definitions of the Arm SMMUv3 (IHI 0070): register offsets,
 * register fields, command, stream table entry, context descriptor and event
 * record layouts.
 *
 * This is the one place these facts live.  The device model, the Xen glue,
 * the host unit tests, the software SMMU model and the bare-metal guest tests
 * all include this file, so it depends on nothing: no Xen header, no libc.
 * The includer provides uint32_t/uint64_t and Xen's helpers the fields are
 * written with: GENMASK_ULL() (xen/bitops.h), BIT() (xen/const.h),
 * MASK_EXTR() and MASK_INSR() (xen/macros.h), which code outside Xen gets
 * from tests/emul/xen-bits.h with Xen's definitions.
 *
 * Section numbers refer to IHI 0070 (chapter 6 for registers, chapter 4 for
 * commands, chapter 5 for data structures, chapter 7 for events).
 */
#ifndef DRIVERS__PASSTHROUGH__ARM__SMMU_V3_ARCH_H
#define DRIVERS__PASSTHROUGH__ARM__SMMU_V3_ARCH_H

/*
 * 6.1: the frame is two 64 KiB pages.  Page 1 holds the queue pointers that
 * software polls: EVENTQ_PROD/CONS and PRIQ_PROD/CONS.
 */
#define SMMU_PAGE_SIZE              0x10000U
#define SMMU_FRAME_SIZE             (2 * SMMU_PAGE_SIZE)
#define SMMU_PAGE1                  SMMU_PAGE_SIZE

/* 6.2.1: page 0 register offsets. */
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

/* 6.2.2: page 1 register offsets, relative to the start of the frame. */
#define SMMU_EVENTQ_PROD            (SMMU_PAGE1 + 0xA8U)
#define SMMU_EVENTQ_CONS            (SMMU_PAGE1 + 0xACU)
#define SMMU_PRIQ_PROD              (SMMU_PAGE1 + 0xC8U)
#define SMMU_PRIQ_CONS              (SMMU_PAGE1 + 0xCCU)

/* 6.3.1 SMMU_IDR0 */
#define SMMU_IDR0_S2P               BIT(0, ULL)
#define SMMU_IDR0_S1P               BIT(1, ULL)
#define SMMU_IDR0_TTF               GENMASK_ULL(3, 2)
#define   SMMU_IDR0_TTF_AARCH32     1
#define   SMMU_IDR0_TTF_AARCH64     2
#define   SMMU_IDR0_TTF_BOTH        3
#define SMMU_IDR0_COHACC            BIT(4, ULL)
#define SMMU_IDR0_BTM               BIT(5, ULL)
#define SMMU_IDR0_HTTU              GENMASK_ULL(7, 6)
#define SMMU_IDR0_DORMHINT          BIT(8, ULL)
#define SMMU_IDR0_HYP               BIT(9, ULL)
#define SMMU_IDR0_ATS               BIT(10, ULL)
#define SMMU_IDR0_NS1ATS            BIT(11, ULL)
#define SMMU_IDR0_ASID16            BIT(12, ULL)
#define SMMU_IDR0_MSI               BIT(13, ULL)
#define SMMU_IDR0_SEV               BIT(14, ULL)
#define SMMU_IDR0_ATOS              BIT(15, ULL)
#define SMMU_IDR0_PRI               BIT(16, ULL)
#define SMMU_IDR0_VMW               BIT(17, ULL)
#define SMMU_IDR0_VMID16            BIT(18, ULL)
#define SMMU_IDR0_CD2L              BIT(19, ULL)
#define SMMU_IDR0_VATOS             BIT(20, ULL)
#define SMMU_IDR0_TTENDIAN          GENMASK_ULL(22, 21)
#define   SMMU_IDR0_TTENDIAN_MIXED  0
#define   SMMU_IDR0_TTENDIAN_LE     2
#define   SMMU_IDR0_TTENDIAN_BE     3
#define SMMU_IDR0_ATSRECERR         BIT(23, ULL)
#define SMMU_IDR0_STALL_MODEL       GENMASK_ULL(25, 24)
#define   SMMU_IDR0_STALL_MODEL_STALL_TERM  0
#define   SMMU_IDR0_STALL_MODEL_TERM_ONLY   1
#define   SMMU_IDR0_STALL_MODEL_STALL_FORCE 2
#define SMMU_IDR0_TERM_MODEL        BIT(26, ULL)
#define SMMU_IDR0_ST_LEVEL          GENMASK_ULL(28, 27)
#define   SMMU_IDR0_ST_LEVEL_LINEAR 0
#define   SMMU_IDR0_ST_LEVEL_2LVL   1
#define SMMU_IDR0_RME_IMPL          BIT(30, ULL)

/* 6.3.2 SMMU_IDR1 */
#define SMMU_IDR1_SIDSIZE           GENMASK_ULL(5, 0)
#define SMMU_IDR1_SSIDSIZE          GENMASK_ULL(10, 6)
#define SMMU_IDR1_PRIQS             GENMASK_ULL(15, 11)
#define SMMU_IDR1_EVENTQS           GENMASK_ULL(20, 16)
#define SMMU_IDR1_CMDQS             GENMASK_ULL(25, 21)
#define SMMU_IDR1_ATTR_PERMS_OVR    BIT(26, ULL)
#define SMMU_IDR1_ATTR_TYPES_OVR    BIT(27, ULL)
#define SMMU_IDR1_REL               BIT(28, ULL)
#define SMMU_IDR1_QUEUES_PRESET     BIT(29, ULL)
#define SMMU_IDR1_TABLES_PRESET     BIT(30, ULL)
#define SMMU_IDR1_ECMDQ             BIT(31, ULL)
/* Architectural maxima of the IDR1 size fields. */
#define SMMU_MAX_SIDSIZE            32
#define SMMU_MAX_QUEUE_LOG2         19

/* 6.3.4 SMMU_IDR3 */
#define SMMU_IDR3_HAD               BIT(2, ULL)
#define SMMU_IDR3_PBHA              BIT(3, ULL)
#define SMMU_IDR3_XNX               BIT(4, ULL)
#define SMMU_IDR3_PPS               BIT(5, ULL)
#define SMMU_IDR3_MPAM              BIT(7, ULL)
#define SMMU_IDR3_FWB               BIT(8, ULL)
#define SMMU_IDR3_STT               BIT(9, ULL)
#define SMMU_IDR3_RIL               BIT(10, ULL)
#define SMMU_IDR3_BBML              GENMASK_ULL(12, 11)

/* 6.3.6 SMMU_IDR5 */
#define SMMU_IDR5_OAS               GENMASK_ULL(2, 0)
#define   SMMU_IDR5_OAS_32          0
#define   SMMU_IDR5_OAS_36          1
#define   SMMU_IDR5_OAS_40          2
#define   SMMU_IDR5_OAS_42          3
#define   SMMU_IDR5_OAS_44          4
#define   SMMU_IDR5_OAS_48          5
#define   SMMU_IDR5_OAS_52          6
#define SMMU_IDR5_GRAN4K            BIT(4, ULL)
#define SMMU_IDR5_GRAN16K           BIT(5, ULL)
#define SMMU_IDR5_GRAN64K           BIT(6, ULL)
#define SMMU_IDR5_VAX               GENMASK_ULL(11, 10)
#define   SMMU_IDR5_VAX_48          0
#define   SMMU_IDR5_VAX_52          1
#define SMMU_IDR5_STALL_MAX         GENMASK_ULL(31, 16)

/* 6.3.7 SMMU_IIDR */
#define SMMU_IIDR_IMPLEMENTER       GENMASK_ULL(11, 0)
#define SMMU_IIDR_REVISION          GENMASK_ULL(15, 12)
#define SMMU_IIDR_VARIANT           GENMASK_ULL(19, 16)
#define SMMU_IIDR_PRODUCTID         GENMASK_ULL(31, 20)
#define SMMU_IIDR_IMPLEMENTER_ARM   0x43B

/* 6.3.8 SMMU_AIDR */
#define SMMU_AIDR_MINOR             GENMASK_ULL(3, 0)
#define SMMU_AIDR_MAJOR             GENMASK_ULL(7, 4)

/* 6.3.9/6.3.10 SMMU_CR0 and SMMU_CR0ACK */
#define SMMU_CR0_SMMUEN             BIT(0, ULL)
#define SMMU_CR0_PRIQEN             BIT(1, ULL)
#define SMMU_CR0_EVENTQEN           BIT(2, ULL)
#define SMMU_CR0_CMDQEN             BIT(3, ULL)
#define SMMU_CR0_ATSCHK             BIT(4, ULL)
#define SMMU_CR0_VMW                GENMASK_ULL(8, 6)

/* 6.3.11 SMMU_CR1 */
#define SMMU_CR1_QUEUE_IC           GENMASK_ULL(1, 0)
#define SMMU_CR1_QUEUE_OC           GENMASK_ULL(3, 2)
#define SMMU_CR1_QUEUE_SH           GENMASK_ULL(5, 4)
#define SMMU_CR1_TABLE_IC           GENMASK_ULL(7, 6)
#define SMMU_CR1_TABLE_OC           GENMASK_ULL(9, 8)
#define SMMU_CR1_TABLE_SH           GENMASK_ULL(11, 10)
/* The cacheability encoding of the CR1 *_IC and *_OC fields. */
#define   SMMU_CR1_CACHE_NC         0
#define   SMMU_CR1_CACHE_WB         1
#define   SMMU_CR1_CACHE_WT         2

/* 6.3.12 SMMU_CR2 */
#define SMMU_CR2_E2H                BIT(0, ULL)
#define SMMU_CR2_RECINVSID          BIT(1, ULL)
#define SMMU_CR2_PTM                BIT(2, ULL)

/* 6.3.14 SMMU_GBPA */
#define SMMU_GBPA_MEMATTR           GENMASK_ULL(3, 0)
#define SMMU_GBPA_MTCFG             BIT(4, ULL)
#define SMMU_GBPA_ALLOCCFG          GENMASK_ULL(11, 8)
#define SMMU_GBPA_SHCFG             GENMASK_ULL(13, 12)
#define   SMMU_GBPA_SHCFG_INCOMING  1
#define SMMU_GBPA_PRIVCFG           GENMASK_ULL(17, 16)
#define SMMU_GBPA_INSTCFG           GENMASK_ULL(19, 18)
#define SMMU_GBPA_ABORT             BIT(20, ULL)
#define SMMU_GBPA_UPDATE            BIT(31, ULL)

/* 6.3.16/6.3.18 SMMU_IRQ_CTRL and SMMU_IRQ_CTRLACK */
#define SMMU_IRQ_CTRL_GERROR_IRQEN  BIT(0, ULL)
#define SMMU_IRQ_CTRL_PRIQ_IRQEN    BIT(1, ULL)
#define SMMU_IRQ_CTRL_EVENTQ_IRQEN  BIT(2, ULL)

/* 6.3.19/6.3.20 SMMU_GERROR and SMMU_GERRORN */
#define SMMU_GERROR_CMDQ_ERR            BIT(0, ULL)
#define SMMU_GERROR_EVENTQ_ABT_ERR      BIT(2, ULL)
#define SMMU_GERROR_PRIQ_ABT_ERR        BIT(3, ULL)
#define SMMU_GERROR_MSI_CMDQ_ABT_ERR    BIT(4, ULL)
#define SMMU_GERROR_MSI_EVENTQ_ABT_ERR  BIT(5, ULL)
#define SMMU_GERROR_MSI_PRIQ_ABT_ERR    BIT(6, ULL)
#define SMMU_GERROR_MSI_GERROR_ABT_ERR  BIT(7, ULL)
#define SMMU_GERROR_SFM_ERR             BIT(8, ULL)
#define SMMU_GERROR_CMDQP_ERR           BIT(9, ULL)

/*
 * 6.3.21-6.3.23, 6.3.30-6.3.32, 6.3.34-6.3.36: SMMU_GERROR_, SMMU_EVENTQ_
 * and SMMU_PRIQ_IRQ_CFG0/1/2 (MSI target)
 */
#define SMMU_IRQ_CFG0_ADDR          GENMASK_ULL(51, 2)
#define SMMU_IRQ_CFG2_MEMATTR       GENMASK_ULL(3, 0)
#define SMMU_IRQ_CFG2_SH            GENMASK_ULL(5, 4)

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

/* 6.3.24 SMMU_STRTAB_BASE */
#define SMMU_STRTAB_BASE_ADDR       GENMASK_ULL(51, 6)
#define SMMU_STRTAB_BASE_RA         BIT(62, ULL)

/* 6.3.25 SMMU_STRTAB_BASE_CFG */
#define SMMU_STRTAB_BASE_CFG_LOG2SIZE   GENMASK_ULL(5, 0)
#define SMMU_STRTAB_BASE_CFG_SPLIT      GENMASK_ULL(10, 6)
#define SMMU_STRTAB_BASE_CFG_FMT        GENMASK_ULL(17, 16)
#define   SMMU_STRTAB_FMT_LINEAR        0
#define   SMMU_STRTAB_FMT_2LVL          1

/* 6.3.26, 6.3.29: SMMU_CMDQ_BASE and SMMU_EVENTQ_BASE */
#define SMMU_Q_BASE_LOG2SIZE        GENMASK_ULL(4, 0)
#define SMMU_Q_BASE_ADDR            GENMASK_ULL(51, 5)
#define SMMU_Q_BASE_RWA             BIT(62, ULL)

/*
 * 6.3.27/6.3.28, 6.3.95-6.3.98: queue pointers (CMDQ, EVENTQ, PRIQ).  The
 * index occupies LOG2SIZE bits, the wrap flag is the next bit up, and the
 * pointer field is bits [19:0].
 */
#define SMMU_Q_PTR_MASK             GENMASK_ULL(19, 0)
#define SMMU_CMDQ_CONS_ERR          GENMASK_ULL(30, 24)
#define   SMMU_CERROR_NONE          0
#define   SMMU_CERROR_ILL           1
#define   SMMU_CERROR_ABT           2
#define   SMMU_CERROR_ATC_INV_SYNC  3
#define SMMU_EVENTQ_PROD_OVFLG      BIT(31, ULL)
#define SMMU_EVENTQ_CONS_OVACKFLG   BIT(31, ULL)
#define SMMU_PRIQ_PROD_OVFLG        BIT(31, ULL)
#define SMMU_PRIQ_CONS_OVACKFLG     BIT(31, ULL)

/* 4.1: commands are two 64-bit words, 16 bytes. */
#define SMMU_CMD_SIZE               16U
#define SMMU_CMD_OPCODE             GENMASK_ULL(7, 0)

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
#define SMMU_CMD0_SSEC              BIT(10, ULL)
#define SMMU_CMD0_SSV               BIT(11, ULL)
#define SMMU_CMD0_SSID              GENMASK_ULL(31, 12)
#define SMMU_CMD0_SID               GENMASK_ULL(63, 32)
#define SMMU_CMD1_LEAF              BIT(0, ULL)
#define SMMU_CMD1_CFGI_RANGE        GENMASK_ULL(4, 0)
#define SMMU_CFGI_RANGE_ALL         31
#define SMMU_CMD1_PREFETCH_SIZE     GENMASK_ULL(4, 0)
#define SMMU_CMD1_PREFETCH_ADDR     GENMASK_ULL(63, 12)

/* TLB invalidation commands (4.4). */
#define SMMU_CMD0_TLBI_NUM          GENMASK_ULL(16, 12)
#define SMMU_CMD0_TLBI_SCALE        GENMASK_ULL(24, 20)
#define SMMU_CMD0_TLBI_VMID         GENMASK_ULL(47, 32)
#define SMMU_CMD0_TLBI_ASID         GENMASK_ULL(63, 48)
#define SMMU_CMD1_TLBI_LEAF         BIT(0, ULL)
#define SMMU_CMD1_TLBI_TTL          GENMASK_ULL(9, 8)
#define SMMU_CMD1_TLBI_TG           GENMASK_ULL(11, 10)
#define SMMU_CMD1_TLBI_ADDR         GENMASK_ULL(63, 12)
#define SMMU_CMD1_TLBI_IPA          GENMASK_ULL(51, 12)   /* TLBI_S2_IPA */

/* ATC invalidation (4.5). */
#define SMMU_CMD0_ATC_GLOBAL        BIT(9, ULL)
#define SMMU_CMD1_ATC_SIZE          GENMASK_ULL(5, 0)
#define SMMU_CMD1_ATC_ADDR          GENMASK_ULL(63, 12)
#define SMMU_ATC_INV_SIZE_ALL       52      /* the whole address space */

/* CMD_PRI_RESP (4.5.2). */
#define SMMU_CMD1_PRI_GRPID         GENMASK_ULL(8, 0)
#define SMMU_CMD1_PRI_RESP          GENMASK_ULL(13, 12)

/* CMD_SYNC (4.7.3). */
#define SMMU_CMD0_SYNC_CS           GENMASK_ULL(13, 12)
#define   SMMU_SYNC_CS_NONE         0
#define   SMMU_SYNC_CS_IRQ          1
#define   SMMU_SYNC_CS_SEV          2
#define SMMU_CMD0_SYNC_MSH          GENMASK_ULL(23, 22)
#define SMMU_CMD0_SYNC_MSIATTR      GENMASK_ULL(27, 24)
#define SMMU_CMD0_SYNC_MSIDATA      GENMASK_ULL(63, 32)
#define SMMU_CMD1_SYNC_MSIADDR      GENMASK_ULL(51, 2)

/* 5.1: the level 1 stream table descriptor, one 64-bit word. */
#define SMMU_L1STD_SIZE             8U
#define SMMU_L1STD_SPAN             GENMASK_ULL(4, 0)
#define SMMU_L1STD_L2PTR            GENMASK_ULL(51, 6)

/* 5.2: stream table entry, eight 64-bit words. */
#define SMMU_STE_SIZE               64U
#define SMMU_STE_DWORDS             8U
#define SMMU_STE0_V                 BIT(0, ULL)
#define SMMU_STE0_CONFIG            GENMASK_ULL(3, 1)
#define   SMMU_STE_CONFIG_ABORT     0
#define   SMMU_STE_CONFIG_BYPASS    4
#define   SMMU_STE_CONFIG_S1_TRANS  5
#define   SMMU_STE_CONFIG_S2_TRANS  6
#define   SMMU_STE_CONFIG_NESTED    7
#define SMMU_STE0_S1FMT             GENMASK_ULL(5, 4)
#define   SMMU_STE_S1FMT_LINEAR     0
#define   SMMU_STE_S1FMT_4K_L2      1
#define   SMMU_STE_S1FMT_64K_L2     2
#define SMMU_STE0_S1CTXPTR          GENMASK_ULL(51, 6)
#define SMMU_STE0_S1CDMAX           GENMASK_ULL(63, 59)
#define SMMU_STE1_S1DSS             GENMASK_ULL(1, 0)
#define   SMMU_STE_S1DSS_TERMINATE  0
#define   SMMU_STE_S1DSS_BYPASS     1
#define   SMMU_STE_S1DSS_SSID0      2
#define SMMU_STE1_S1CIR             GENMASK_ULL(3, 2)
#define SMMU_STE1_S1COR             GENMASK_ULL(5, 4)
/* The cacheability encoding of S1CIR and S1COR. */
#define   SMMU_STE_S1C_CACHE_NC     0
#define   SMMU_STE_S1C_CACHE_WBRA   1
#define   SMMU_STE_S1C_CACHE_WT     2
#define   SMMU_STE_S1C_CACHE_WB     3
#define SMMU_STE1_S1CSH             GENMASK_ULL(7, 6)
#define SMMU_STE1_S1STALLD          BIT(27, ULL)
#define SMMU_STE1_EATS              GENMASK_ULL(29, 28)
#define   SMMU_STE_EATS_ABT         0
#define   SMMU_STE_EATS_TRANS       1
#define   SMMU_STE_EATS_S1CHK       2
#define SMMU_STE1_STRW              GENMASK_ULL(31, 30)
#define   SMMU_STE_STRW_NSEL1       0
#define   SMMU_STE_STRW_EL2         2
#define SMMU_STE1_SHCFG             GENMASK_ULL(45, 44)
#define   SMMU_STE_SHCFG_INCOMING   1
#define SMMU_STE2_S2VMID            GENMASK_ULL(15, 0)
#define SMMU_STE2_VTCR              GENMASK_ULL(50, 32)
/* The VTCR fields, in place in word 2. */
#define SMMU_STE2_S2T0SZ            GENMASK_ULL(37, 32)
#define SMMU_STE2_S2SL0             GENMASK_ULL(39, 38)
#define SMMU_STE2_S2IR0             GENMASK_ULL(41, 40)
#define SMMU_STE2_S2OR0             GENMASK_ULL(43, 42)
#define SMMU_STE2_S2SH0             GENMASK_ULL(45, 44)
#define SMMU_STE2_S2TG              GENMASK_ULL(47, 46)
#define   SMMU_STE_S2TG_4K          0
#define   SMMU_STE_S2TG_64K         1
#define   SMMU_STE_S2TG_16K         2
#define SMMU_STE2_S2PS              GENMASK_ULL(50, 48)
#define SMMU_STE2_S2AA64            BIT(51, ULL)
#define SMMU_STE2_S2ENDI            BIT(52, ULL)
#define SMMU_STE2_S2AFFD            BIT(53, ULL)
#define SMMU_STE2_S2PTW             BIT(54, ULL)
#define SMMU_STE2_S2HD              BIT(55, ULL)
#define SMMU_STE2_S2HA              BIT(56, ULL)
#define SMMU_STE2_S2S               BIT(57, ULL)
#define SMMU_STE2_S2R               BIT(58, ULL)
#define SMMU_STE3_S2TTB             GENMASK_ULL(51, 4)

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
#define SMMU_L1CD_V                 BIT(0, ULL)
#define SMMU_L1CD_L2PTR             GENMASK_ULL(51, 12)

/* 5.4: context descriptor, eight 64-bit words. */
#define SMMU_CD_SIZE                64U
#define SMMU_CD_DWORDS              8U
#define SMMU_CD0_T0SZ               GENMASK_ULL(5, 0)
#define SMMU_CD0_TG0                GENMASK_ULL(7, 6)
#define   SMMU_CD_TG0_4K            0
#define   SMMU_CD_TG0_64K           1
#define   SMMU_CD_TG0_16K           2
#define SMMU_CD0_IRGN0              GENMASK_ULL(9, 8)
#define SMMU_CD0_ORGN0              GENMASK_ULL(11, 10)
#define SMMU_CD0_SH0                GENMASK_ULL(13, 12)
#define SMMU_CD0_EPD0               BIT(14, ULL)
#define SMMU_CD0_ENDI               BIT(15, ULL)
#define SMMU_CD0_T1SZ               GENMASK_ULL(21, 16)
#define SMMU_CD0_TG1                GENMASK_ULL(23, 22)
#define   SMMU_CD_TG1_16K           1
#define   SMMU_CD_TG1_4K            2
#define   SMMU_CD_TG1_64K           3
#define SMMU_CD0_IRGN1              GENMASK_ULL(25, 24)
#define SMMU_CD0_ORGN1              GENMASK_ULL(27, 26)
#define SMMU_CD0_SH1                GENMASK_ULL(29, 28)
#define SMMU_CD0_EPD1               BIT(30, ULL)
#define SMMU_CD0_V                  BIT(31, ULL)
#define SMMU_CD0_IPS                GENMASK_ULL(34, 32)
#define SMMU_CD0_AFFD               BIT(35, ULL)
#define SMMU_CD0_WXN                BIT(36, ULL)
#define SMMU_CD0_UWXN               BIT(37, ULL)
#define SMMU_CD0_TBI0               BIT(38, ULL)
#define SMMU_CD0_TBI1               BIT(39, ULL)
#define SMMU_CD0_PAN                BIT(40, ULL)
#define SMMU_CD0_AA64               BIT(41, ULL)
#define SMMU_CD0_HD                 BIT(42, ULL)
#define SMMU_CD0_HA                 BIT(43, ULL)
#define SMMU_CD0_S                  BIT(44, ULL)
#define SMMU_CD0_R                  BIT(45, ULL)
#define SMMU_CD0_A                  BIT(46, ULL)
#define SMMU_CD0_ASET               BIT(47, ULL)
#define SMMU_CD0_ASID               GENMASK_ULL(63, 48)
#define SMMU_CD1_TTB0               GENMASK_ULL(51, 4)
#define SMMU_CD2_TTB1               GENMASK_ULL(51, 4)
/* Word 3 is MAIR0, word 4 MAIR1, word 5 AMAIR0, word 6 AMAIR1. */

/* 7.3: event records are four 64-bit words, 32 bytes. */
#define SMMU_EVT_SIZE               32U
#define SMMU_EVT0_ID                GENMASK_ULL(7, 0)
#define SMMU_EVT0_SSV               BIT(11, ULL)
#define SMMU_EVT0_SSID              GENMASK_ULL(31, 12)
#define SMMU_EVT0_SID               GENMASK_ULL(63, 32)
#define SMMU_EVT1_STAG              GENMASK_ULL(15, 0)
#define SMMU_EVT1_STALL             BIT(31, ULL)
#define SMMU_EVT1_PNU               BIT(33, ULL)
#define SMMU_EVT1_IND               BIT(34, ULL)
#define SMMU_EVT1_RNW               BIT(35, ULL)
#define SMMU_EVT1_NSIPA             BIT(38, ULL)
#define SMMU_EVT1_S2                BIT(39, ULL)
#define SMMU_EVT1_CLASS             GENMASK_ULL(41, 40)
#define   SMMU_EVT_CLASS_CD         0
#define   SMMU_EVT_CLASS_TTD        1
#define   SMMU_EVT_CLASS_IN         2
#define SMMU_EVT3_IPA               GENMASK_ULL(51, 12)
#define SMMU_EVT3_FETCH_ADDR        GENMASK_ULL(55, 3)    /* F_*_FETCH */

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
#define SMMU_PRI0_SID               GENMASK_ULL(31, 0)
#define SMMU_PRI0_SSID              GENMASK_ULL(51, 32)
#define SMMU_PRI0_PERM_PRIV         BIT(58, ULL)
#define SMMU_PRI0_PERM_EXEC         BIT(59, ULL)
#define SMMU_PRI0_PERM_READ         BIT(60, ULL)
#define SMMU_PRI0_PERM_WRITE        BIT(61, ULL)
#define SMMU_PRI0_LAST              BIT(62, ULL)
#define SMMU_PRI0_SSV               BIT(63, ULL)
#define SMMU_PRI1_PRG_INDEX         GENMASK_ULL(8, 0)
#define SMMU_PRI1_ADDR              GENMASK_ULL(63, 12)

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
