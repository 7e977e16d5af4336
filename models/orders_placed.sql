-- One row per order, for the orders-placed event sync: the order is the event, its id the event id.
select order_id,
       customer_id,
       ordered_at,
       total,
       sku,
       quantity
from orders
order by order_id
