import time

from django.core.management.base import BaseCommand, CommandError

from common.errors import ServiceError
from demo.bench import bench_data_generate
from demo.bench_province import bench_province_generate


class Command(BaseCommand):
    help = (
        "生成性能测试数据：N 个虚构单位、Y 个年度的计划（结构取自 2022 年计划文件），"
        "12 个月的进度填报，大多审核通过，也有逾期不予统计、撤销通过后重新审核、待审核和未报送的。"
        "加 --province 生成一个省的方案链：省总方案、各市方案、县方案及其基层工会。"
        "重复运行会替换同一标识的测试计划。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=1000, help="虚构单位数（默认 1000）")
        parser.add_argument("--years", type=int, default=1, help="计划年度数（默认 1）")
        parser.add_argument(
            "--slug-prefix",
            help="计划标识和单位代码的前缀（默认 bench；--province 时默认 prov）",
        )
        parser.add_argument("--first-year", type=int, default=2022, help="第一个年度（默认 2022）")
        parser.add_argument("--seed", type=int, default=2022, help="随机种子（默认 2022）")
        province = parser.add_argument_group("省级方案链（--province）")
        province.add_argument(
            "--province", action="store_true", help="生成省、市、县三级方案（约 1 万个单位）"
        )
        province.add_argument("--cities", type=int, default=18, help="设区市数（默认 18）")
        province.add_argument(
            "--city-units", type=int, default=30, help="每市方案的单位数（默认 30）"
        )
        province.add_argument(
            "--counties", type=int, default=10, help="其中自己发方案的县数（默认 10）"
        )
        province.add_argument(
            "--county-units", type=int, default=52, help="每县方案的基层工会数（默认 52）"
        )

    def handle(self, *args, slug_prefix, first_year, seed, province, **options):
        started = time.perf_counter()
        try:
            if province:
                result = bench_province_generate(
                    cities=options["cities"],
                    city_units=options["city_units"],
                    counties=options["counties"],
                    county_units=options["county_units"],
                    prefix=slug_prefix or "prov",
                    year=first_year,
                    seed=seed,
                )
            else:
                result = bench_data_generate(
                    units=options["units"],
                    years=options["years"],
                    slug_prefix=slug_prefix or "bench",
                    first_year=first_year,
                    seed=seed,
                )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        seconds = time.perf_counter() - started
        plans = result.plans
        slugs = "、".join(p.slug for p in plans[:3]) + (
            f" 等 {len(plans)} 个" if len(plans) > 3 else ""
        )
        summary = "，".join(f"{key} {n}" for key, n in sorted(result.counts.items()))
        self.stdout.write(self.style.SUCCESS(f"已生成「{slugs}」：{summary}（{seconds:.1f} 秒）"))
